/* sourcebook web UI: small vanilla JS (no framework, nothing loaded from elsewhere).
 *
 * - clicking a source (its card in the side panel, or one of its quotes in the text) highlights
 *   that source's quotes and mentions in the text;
 * - keyboard: j/n next item, k/p previous, a accept, r reject, e correct, u undo (reset),
 *   / search, Esc clear, ? help;
 * - "+" or a selection in the article text opens "add what extraction missed" (offsets filled in);
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
      case "+":
        var det = document.getElementById("add-missed");
        if (det) { det.open = true; var ta = det.querySelector("textarea"); if (ta) { ta.focus(); } } else { return; }
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


  // adding what extraction missed: a selection in the article text fills the add form with its
  // character offsets (the text content of <article> is the article's text, offset for offset)
  function textOffset(root, node, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null);
    var n = 0, t;
    while ((t = walker.nextNode())) {
      if (t === node) { return n + offset; }
      n += t.nodeValue.length;
    }
    if (node === root) {
      var k = 0, i;
      for (i = 0; i < offset && i < root.childNodes.length; i++) { k += root.childNodes[i].textContent.length; }
      return k;
    }
    return -1;
  }

  function readSelection() {
    var art = document.querySelector(".article-text");
    var form = document.getElementById("add-form");
    if (!art || !form) { return; }
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var r = sel.getRangeAt(0);
    if (!art.contains(r.startContainer) || !art.contains(r.endContainer)) { return; }
    var a = textOffset(art, r.startContainer, r.startOffset);
    var b = textOffset(art, r.endContainer, r.endOffset);
    if (a < 0 || b <= a) { return; }
    var text = art.textContent.slice(a, b);
    form.querySelector('input[name="start"]').value = a;
    form.querySelector('input[name="end"]').value = b;
    form.querySelector('textarea[name="text"]').value = text;
    var where = document.getElementById("add-where");
    if (where) { where.textContent = "characters " + a + "\u2013" + b + " selected"; }
    var det = document.getElementById("add-missed");
    if (det) { det.open = true; }
  }

  document.addEventListener("mouseup", readSelection);
  document.addEventListener("keyup", function (ev) { if (ev.shiftKey || ev.key === "Shift") { readSelection(); } });

  function showFieldsFor(form) {
    var kind = form.querySelector('select[name="kind"]').value;
    form.querySelectorAll("fieldset").forEach(function (f) {
      f.hidden = !f.classList.contains("for-" + kind);
    });
  }

  document.addEventListener("input", function (ev) {
    var form = ev.target.form;
    if (!form || form.id !== "add-form") { return; }
    if (ev.target.name === "text") {  // typed words: the server finds them in the article
      form.querySelector('input[name="start"]').value = "";
      form.querySelector('input[name="end"]').value = "";
      var where = document.getElementById("add-where");
      if (where) { where.textContent = "typed: the exact words are looked up in the article"; }
    }
  });
  document.addEventListener("change", function (ev) {
    var form = ev.target.form;
    if (form && form.id === "add-form" && ev.target.name === "kind") { showFieldsFor(form); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var addForm = document.getElementById("add-form");
    if (addForm) { showFieldsFor(addForm); }
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
