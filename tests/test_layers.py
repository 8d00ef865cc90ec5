"""The package's imports run downward only, with no cycle, as its docstrings say.

Every module of ``site/website`` is read with :mod:`ast` (never imported),
each import of ``website.*`` anywhere in it (function-level ones included)
is resolved to a module, and:

- an import from a higher layer into a lower one fails, naming file:line;
- any cycle between modules fails, naming the modules;
- an indented import of ``website.*`` (a function-level import, the usual
  way to dodge a cycle) fails;
- each package docstring's claim about what it imports is checked.

The layers, lowest first:

=====  ===========  ==================================================================
layer  name         modules
=====  ===========  ==================================================================
0      runtime      ``website.i18n.*``; and, by what they are, the modules beneath
                    everything: ``website`` (the package), ``library_internals`` (guarded
                    private library uses), ``files`` (atomic writes), ``directory``
                    (the directory of languages, from CLDR, through the runtime)
1      toolchain    ``website.toolchain.*``
2      workspace    ``website.workspace.*`` except its HTTP modules; ``config``
                    (options and paths, read by ``website-admin`` too)
3      HTTP         ``website.handlers.*``; ``workspace.handlers``,
                    ``workspace.translator_mode``, ``workspace.base_handler``,
                    ``workspace.sessions`` and any ``workspace.*_handlers``;
                    ``security``, ``inflight``, ``escaping`` (request and response plumbing)
4      application  ``app``, ``__main__``
=====  ===========  ==================================================================
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "site" / "website"

RUNTIME, TOOLCHAIN, WORKSPACE, HTTP, APPLICATION = range(5)
LAYER_NAMES = ("runtime", "toolchain", "workspace", "HTTP", "application")

#: Modules outside the layered packages, with the layer they belong to and why.
TOP_LEVEL = {
    "website": RUNTIME,  # the package's docstring and version
    "website.library_internals": RUNTIME,  # private library uses, imported by the runtime
    "website.files": RUNTIME,  # write_atomically: every layer writes files
    "website.directory": RUNTIME,  # CLDR data through the runtime; no request, no catalog file
    "website.config": WORKSPACE,  # tornado options and paths; website-admin reads ROOT
    "website.security": HTTP,
    "website.inflight": HTTP,
    "website.escaping": HTTP,
    "website.app": APPLICATION,
    "website.__main__": APPLICATION,
}
WORKSPACE_HTTP = {
    "website.workspace.handlers",
    "website.workspace.translator_mode",
    "website.workspace.base_handler",
    "website.workspace.sessions",
}


def module_name(path: pathlib.Path) -> str:
    parts = ("website", *path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(name: str) -> int:
    if name in TOP_LEVEL:
        return TOP_LEVEL[name]
    if name == "website.i18n" or name.startswith("website.i18n."):
        return RUNTIME
    if name == "website.toolchain" or name.startswith("website.toolchain."):
        return TOOLCHAIN
    if name == "website.handlers" or name.startswith("website.handlers."):
        return HTTP
    if name == "website.workspace" or name.startswith("website.workspace."):
        if name in WORKSPACE_HTTP or name.endswith("_handlers"):
            return HTTP
        return WORKSPACE
    raise AssertionError(f"{name} has no layer: add it to TOP_LEVEL in tests/test_layers.py, with why")


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(name: str) -> str:
    """The module an imported name is: a module of the package, or the package that holds it."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(name: str) -> list[tuple[str, int, bool]]:
    """Each ``website.*`` module ``name`` imports: (module, line, at function level)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from website.i18n import tags" imports the module website.i18n.tags.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "website" or target.startswith("website."):
                found.append((resolve(target), node.lineno, node.col_offset > 0))
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def where(name: str, line: int) -> str:
    return f"{MODULES[name].relative_to(PACKAGE.parents[1])}:{line}"


def test_every_module_has_a_layer():
    for name in MODULES:
        layer_of(name)


def test_imports_run_downward_only():
    upward = [
        f"{where(name, line)}: {name} ({LAYER_NAMES[layer_of(name)]}) imports {target} "
        f"({LAYER_NAMES[layer_of(target)]})"
        for name, imports in GRAPH.items()
        for target, line, _nested in imports
        if layer_of(target) > layer_of(name)
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_function_level_imports_of_the_package():
    nested = [f"{where(name, line)}: imports {target} inside a function or block"
              for name, imports in GRAPH.items() for target, line, is_nested in imports if is_nested]
    assert not nested, "imports belong at the top of the module:\n" + "\n".join(nested)


def test_handlers_know_nothing_of_the_workspace():
    # Translator mode reaches page rendering through settings["page_hook"].
    found = [f"{where(name, line)}: {name} imports {target}"
             for name in members("website.handlers") for target, line, _nested in GRAPH[name]
             if target.startswith("website.workspace")]
    assert not found, "\n".join(found)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), or with a self-import."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_find_cycles_finds_them():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    # Importing a package's module runs the package's __init__ first, but
    # that is no edge here: an __init__ that imported its modules back would
    # show up as its own edges.
    graph = {name: {target for target, _line, _nested in imports if target != name}
             for name, imports in GRAPH.items()}
    cycles = find_cycles(graph)
    described = []
    for cycle in cycles:
        members = set(cycle)
        edges = [f"  {where(name, line)}: {name} -> {target}"
                 for name in cycle for target, line, _nested in GRAPH[name] if target in members]
        described.append(" <-> ".join(cycle) + "\n" + "\n".join(edges))
    assert not cycles, "import cycles:\n" + "\n".join(described)


def closure(names) -> set[str]:
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(target for target, _line, _nested in GRAPH[name])
    return seen


def members(package: str) -> list[str]:
    return [name for name in MODULES if name == package or name.startswith(package + ".")]


def docstring(name: str) -> str:
    return " ".join((ast.get_docstring(ast.parse(MODULES[name].read_text(encoding="utf-8"))) or "").split())


def direct_imports(package: str) -> set[str]:
    return {target for name in members(package) for target, _line, _nested in GRAPH[name]}


def outside(package: str, allowed: tuple[str, ...]) -> set[str]:
    return {target for target in direct_imports(package)
            if not any(target == a or target.startswith(a + ".") for a in (package, *allowed))}


# What each package's docstring says about its imports, and the check that makes it true.
CLAIMS = [
    ("website.i18n",
     "imports nothing of the package outside website.i18n but website.library_internals",
     lambda: outside("website.i18n", ("website.library_internals",))),
    ("website.i18n",
     "nor, through anything it imports, website.toolchain or website.workspace",
     lambda: {t for t in closure(members("website.i18n"))
              if t.startswith(("website.toolchain", "website.workspace"))}),
    ("website.toolchain",
     "imports only website.i18n, website.files and website.library_internals from the package",
     lambda: outside("website.toolchain", ("website.i18n", "website.files", "website.library_internals"))),
    ("website.toolchain",
     "nothing else in the package imports website.toolchain.cli",
     lambda: {name for name, imports in GRAPH.items() if not name.startswith("website.toolchain")
              for target, _line, _nested in imports if target == "website.toolchain.cli"}),
    ("website.workspace",
     "core imports only website.i18n, website.toolchain, website.files and website.config",
     lambda: {t for name in members("website.workspace") if layer_of(name) == WORKSPACE
              for t, _line, _nested in GRAPH[name]
              if not t.startswith(("website.workspace", "website.i18n", "website.toolchain",
                                   "website.files", "website.config"))}),
    ("website.workspace",
     "website.workspace.handlers and website.workspace.translator_mode do not import each other",
     lambda: {t for name in ("website.workspace.handlers", "website.workspace.translator_mode")
              for t, _line, _nested in GRAPH[name]
              if t in ("website.workspace.handlers", "website.workspace.translator_mode")}),
]


@pytest.mark.parametrize(("package", "claim", "violations"), CLAIMS,
                         ids=[f"{package}: {claim[:40]}" for package, claim, _ in CLAIMS])
def test_package_docstrings_say_what_they_import(package, claim, violations):
    assert claim in docstring(package), f"{package}'s docstring no longer says: {claim!r}"
    found = violations()
    assert not found, f"{package}'s docstring says it {claim!r}, but: {sorted(found)}"
