"""The package's dependencies run one way (docs/architecture.md, ../shared/ARCHITECTURE.md).

Every module of ``src/sourcebook`` is read with ``ast`` (imports at the top and inside functions,
relative ones resolved); the graph of module -> module imports must have no cycle, and the library
layers (``nlp/``, ``store/``) must not import a face (``cli``, ``web``, ``report``)."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "sourcebook"
FACES = ("sourcebook.cli", "sourcebook.web", "sourcebook.report")
LIBRARY = ("sourcebook.nlp", "sourcebook.store")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if "migrations" in parts:  # alembic scripts, loaded by alembic, never imported
            continue
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that importing ``name`` loads (``a.b.c`` -> ``a.b`` when c is a name in a.b)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _package_of(module: str, modules: dict[str, Path]) -> str:
    return module if modules[module].name == "__init__.py" else module.rpartition(".")[0]


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        pkg = _package_of(mod, modules)
        for node in ast.walk(tree):  # every import, at the top or inside a function
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                # ``from pkg import mod`` loads pkg.mod when it is a module, else a name of pkg
                targets = [f"{prefix}.{a.name}" for a in node.names]
            for t in targets:
                if not t.startswith("sourcebook"):
                    continue
                owner = _owner(t, modules)
                if owner and owner != mod:
                    graph[mod].add(owner)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _is_package_init_edge(a: str, b: str, graph: dict[str, set[str]]) -> bool:
    return False


def test_the_walk_sees_imports_inside_functions_and_relative_ones():
    g = import_graph()
    # store/core.py imports ``.effective`` at the top; ingest imports the ledger inside a function
    assert "sourcebook.store.effective" in g["sourcebook.store.core"]
    assert "sourcebook.ledger" in g["sourcebook.ingest"]
    assert "sourcebook.errors" in g["sourcebook.store.effective"]


def test_no_cycle_between_modules():
    cycles = _cycles(import_graph())
    assert not cycles, "import cycles (each line one strongly connected component):\n" + "\n".join(
        " <-> ".join(c) for c in cycles)


def test_the_cycle_check_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_library_layers_do_not_import_a_face():
    bad = []
    for mod, deps in import_graph().items():
        if not mod.startswith(LIBRARY):
            continue
        for d in sorted(deps):
            if d.startswith(FACES):
                bad.append(f"{mod} imports {d}")
    assert not bad, "\n".join(bad)


def test_the_module_map_names_every_module():
    """docs/architecture.md's module map lists every module of the tree (one line each)."""
    doc = (PKG.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    start = doc.index("## Module map")
    text = doc[start:doc.index("## ", start + 3)]
    missing = []
    for mod, path in sorted(_modules().items()):
        name = path.parent.name + "/" if path.name == "__init__.py" else path.name
        if path.name == "__init__.py" and path.parent == PKG:
            name = "__init__.py"
        # top-level modules and packages by file or folder name; a package's modules by name
        stem = name if path.parent in (PKG,) or path.name == "__init__.py" else path.stem
        if stem not in text:
            missing.append(mod)
    assert not missing, "not in docs/architecture.md's module map: " + ", ".join(missing)


def test_spacy_tokens_are_compared_by_value_not_identity():
    """spaCy makes a new Token object each time one is read (``doc[i]``, ``tok.head``), so
    ``tok.head is tok`` is never true: a token's head, children and neighbours compare with ==."""
    import re
    identity = re.compile(r"([\w.]+) is (?:not )?([\w.]+)")
    found = [f"{p.relative_to(PKG)}:{n}" for p in PKG.rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             for a, b in identity.findall(line.split("#")[0])
             if b not in ("None", "True", "False") and (a.endswith(".head") or b.endswith(".head"))]
    assert not found, found


def test_attribution_functions_stay_short():
    """Issue 12: the attribution package is kept in parts a newcomer can read; no function over 80 lines."""
    long = []
    for path in (PKG / "nlp" / "attribution").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None \
                    and node.end_lineno - node.lineno + 1 > 80:
                long.append(f"{path.name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert not long, long
