"""The layers import one way, and only the loaders read the data folder.

schema (the domain core) <- loaders, queries <- viz <- graph_api; settings and
errors sit beside them all. Every import statement of the package is read
from the source (functions' local imports included) and checked here."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
LAYERS = ("schema", "loaders", "queries", "viz", "graph_api")
FORBIDDEN = {
    "schema": {"loaders", "queries", "viz", "graph_api"},
    "loaders": {"queries", "viz", "graph_api"},
    "queries": {"loaders", "viz", "graph_api"},
    "viz": {"loaders", "graph_api"},
    "graph_api": set(),
}
BASE_MODULES = ("settings.py", "errors.py", "cache_files.py", "__init__.py")


def _modules(layer: str) -> list[Path]:
    return sorted(p for p in (PACKAGE / layer).rglob("*.py"))


def _imports(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file (``root`` is the package's folder), relative
    ones resolved."""
    rel = path.relative_to(root).with_suffix("")
    package = ["aidgraph", *rel.parts[:-1]]
    if rel.name == "__init__":
        package = ["aidgraph", *rel.parts[:-1]]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from .. import x: x may be a module
                    out += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
                    continue
            else:
                mod = node.module or ""
            out.append((node.lineno, mod))
    return out


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "aidgraph" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_go_one_way(layer):
    wrong = [f"{p.relative_to(PACKAGE)}:{line} imports {mod}"
             for p in _modules(layer) for line, mod in _imports(p)
             if _layer_of(mod) in FORBIDDEN[layer]]
    assert wrong == []


def test_the_base_modules_import_no_layer():
    wrong = [f"{name}:{line} imports {mod}" for name in BASE_MODULES
             for line, mod in _imports(PACKAGE / name) if _layer_of(mod)]
    assert wrong == []


def test_control_the_walker_sees_a_backward_import(tmp_path):
    """Control of the checker above, not of the package: a loader importing the queries is caught,
    relative or absolute. The probe is written into a temporary folder laid out like the package, never
    into the source tree."""
    fake = tmp_path / "loaders" / "_probe_backward.py"
    fake.parent.mkdir()
    fake.write_text("from ..queries.service import AidGraph\n\ndef f():\n    import aidgraph.viz.network\n",
                    encoding="utf-8")
    found = [mod for _line, mod in _imports(fake, root=tmp_path) if _layer_of(mod) in FORBIDDEN["loaders"]]
    assert found == ["aidgraph.queries.service", "aidgraph.viz.network"]


def _names_data(text: str) -> bool:
    """A string that names a folder or file of the data: 'curated', 'sources/…', '….csv'."""
    return (text in ("curated", "sources") or text.endswith(".csv") or "curated/" in text
            or text.startswith("sources/") or "seat_coordinates" in text)


@pytest.mark.parametrize("layer", ("viz", "graph_api"))
def test_viz_and_api_read_no_data_file(layer):
    """Pictures, pages and the API get their facts from AidGraph; only loaders open data files."""
    found = []
    for p in _modules(layer):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _names_data(node.value):
                found.append(f"{p.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert found == []


@pytest.mark.parametrize("layer", ("viz", "graph_api"))
def test_views_and_pages_ask_aidgraph_not_its_parts(layer):
    """Pages, pictures and exports call AidGraph's methods; they do not reach into its gazetteer or
    into its store's reads (the store's name, for a start-up line, is all they read of it)."""
    found = []
    for p in _modules(layer):
        if p.name == "runtime.py":  # the composition root builds AidGraph from its parts
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "gaz":
                found.append(f"{p.relative_to(PACKAGE)}:{node.lineno} .gaz")
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "store" and node.attr != "name"):
                found.append(f"{p.relative_to(PACKAGE)}:{node.lineno} .store.{node.attr}")
    assert found == []
