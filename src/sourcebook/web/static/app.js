/* sourcebook web UI: small vanilla JS (no framework, nothing loaded from elsewhere).
 *
 * - clicking a source (its card in the side panel, or one of its quotes in the text) highlights
 *   that source's quotes and mentions in the text;
 * - keyboard: j/n next item, k/p previous, a accept, r reject, e correct, u undo (reset),
 *   / search, Esc clear, ? help;
 * - review forms come back to the item they were sent from (or the next one, from the keyboard).
 */
(function () {
  "use strict";

  function items() { return Array.prototype.slice.call(document.querySelectorAll(".item")); }

  function currentItem() {
    var el = document.activeElement;
    var it = el && el.closest ? el.closest(".item") : null;
    return it || document.querySelector(".item.current");
  }

  function focusItem(it) {
    if (!it) { return; }
    document.querySelectorAll(".item.current").forEach(function (x) { x.classList.remove("current"); });
    it.classList.add("current");
    it.focus({ preventScroll: true });
    it.scrollIntoView({ block: "nearest" });
  }

  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^\w-]/g, "\\$&"); }

  function selectSource(sid, scroll) {
    var body = document.body;
    var was = body.getAttribute("data-active-source");
    document.querySelectorAll(".seg.active").forEach(function (x) { x.classList.remove("active"); });
    document.querySelectorAll(".seg.active-men").forEach(function (x) { x.classList.remove("active-men"); });
    document.querySelectorAll(".source-card.selected").forEach(function (x) { x.classList.remove("selected"); });
    if (!sid || sid === was) {
      body.removeAttribute("data-active-source");
      body.classList.remove("has-active");
      return;
    }
    body.setAttribute("data-active-source", sid);
    body.classList.add("has-active");
    var esc = cssEscape(sid);
    var segs = document.querySelectorAll('.seg.q[data-s~="' + esc + '"]');
    segs.forEach(function (x) { x.classList.add("active"); });
    document.querySelectorAll('.seg.men[data-m~="' + esc + '"]').forEach(function (x) { x.classList.add("active-men"); });
    var card = document.getElementById("src-" + sid);
    if (card) { card.classList.add("selected"); }
    if (scroll && segs.length) { segs[0].scrollIntoView({ block: "center", behavior: "smooth" }); }
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    var toggle = t.closest && t.closest(".source-toggle");
    if (toggle) {
      ev.preventDefault();
      selectSource(toggle.getAttribute("data-source"), true);
      return;
    }
    var seg = t.closest && t.closest(".seg.q");
    if (seg) {
      var q = (seg.getAttribute("data-q") || "").split(" ").pop();
      var s = (seg.getAttribute("data-s") || "").split(" ").pop();
      if (s) { selectSource(s, false); }
      var it = q && document.getElementById("quote-" + q);
      if (it) { focusItem(it); }
      return;
    }
    var fig = t.closest && t.closest(".seg.fig");
    if (fig) {
      var c = (fig.getAttribute("data-c") || "").split(" ").pop();
      var f = c && document.getElementById("count-" + c);
      if (f) { focusItem(f); }
    }
  });

  // every review form comes back to its item, unless a shortcut already asked for the next one
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("review")) { return; }
    var anchor = form.querySelector('input[name="anchor"]');
    var it = form.closest(".item");
    if (anchor && !anchor.value && it && it.id) { anchor.value = it.id; }
  });

  function submitAction(it, action, goNext) {
    if (!it) { return; }
    var btn = it.querySelector('form.review button[name="action"][value="' + action + '"]');
    if (!btn) { return; }
    var form = btn.form;
    if (goNext) {
      var all = items();
      var next = all[all.indexOf(it) + 1];
      var anchor = form.querySelector('input[name="anchor"]');
      if (anchor && next && next.id) { anchor.value = next.id; }
    }
    if (form.requestSubmit) { form.requestSubmit(btn); } else { btn.click(); }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.target.isContentEditable) {
      if (ev.key === "Escape") { ev.target.blur(); }
      return;
    }
    var all = items();
    var it = currentItem();
    var i = it ? all.indexOf(it) : -1;
    switch (ev.key) {
      case "j": case "n":
        focusItem(all[Math.min(all.length - 1, i + 1)]); break;
      case "k": case "p":
        focusItem(all[Math.max(0, i - 1)]); break;
      case "a": submitAction(it, "accept", true); break;
      case "r": submitAction(it, "reject", true); break;
      case "u": submitAction(it, "reset", false); break;
      case "e":
        if (it) {
          var d = it.querySelector("details.correct");
          if (d) { d.open = true; var inp = d.querySelector("input, select"); if (inp) { inp.focus(); } }
          else { var link = it.querySelector('a[href^="/correct/"]'); if (link) { link.click(); } }
        }
        break;
      case "/":
        var s = document.querySelector('input[type="search"]');
        if (s) { s.focus(); } else { return; }
        break;
      case "?":
        var h = document.getElementById("help");
        if (h) { h.hidden = !h.hidden; }
        break;
      case "Escape":
        selectSource(null, false);
        var hh = document.getElementById("help"); if (hh) { hh.hidden = true; }
        break;
      default:
        return;
    }
    ev.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var h = (location.hash || "").slice(1);
    if (h) {
      var el = document.getElementById(h);
      if (el && el.classList.contains("item")) { focusItem(el); }
    }
    var help = document.getElementById("help-toggle");
    if (help) {
      help.addEventListener("click", function () { var x = document.getElementById("help"); x.hidden = !x.hidden; });
    }
  });
})();
