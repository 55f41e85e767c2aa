"""The package's layers, held: what each subpackage may import, and who may lean on library internals.

Layers, each importing only from those above it (docs/developers.md):

    compute   NumPy only: the course's arithmetic
    engine    frames: render, glyphs, layouts, static_figure and mpl use matplotlib only; controls, explorer and
              server are the widget side
    draw      figures (matplotlib), never a widget library
    explore   explorers: figures wired to controls
    checks    exercise feedback, from compute alone
    course    teach (a class's link and handout) and solutions

Imports are read from the source (every ``import``, module level or inside a function), so a lazy
import counts too; a second check imports the layers in a fresh interpreter and looks at what got loaded.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "conv1x1"

STDLIB = set(sys.stdlib_module_names) | {"__future__"}

#: What each part may import: other parts of conv1x1 (by module prefix) and third-party top-level names.
ENGINE_CORE = ["conv1x1.compute", "conv1x1.engine.render", "conv1x1.engine.glyphs", "conv1x1.engine.mpl",
               "conv1x1.engine.layouts", "conv1x1.engine.static_figure"]
RULES: dict[str, tuple[list[str], set[str]]] = {
    "conv1x1.compute": (["conv1x1.compute"], {"numpy", "threadpoolctl"}),
    # the one part of the computing layer that needs PyTorch: imported only inside count_module (below)
    "conv1x1.compute.torch_count": (["conv1x1.compute"], {"torch"}),
    "conv1x1.engine.render": (ENGINE_CORE, {"numpy", "matplotlib", "PIL"}),
    "conv1x1.engine.mpl": (ENGINE_CORE, {"numpy", "matplotlib"}),
    "conv1x1.engine.glyphs": (ENGINE_CORE, {"numpy", "matplotlib"}),
    "conv1x1.engine.layouts": (ENGINE_CORE, {"numpy", "matplotlib"}),
    "conv1x1.engine.static_figure": (ENGINE_CORE, {"PIL"}),
    "conv1x1.engine": (["conv1x1.compute", "conv1x1.engine"],
                       {"numpy", "matplotlib", "PIL", "ipywidgets", "anywidget", "traitlets", "jupyter_server",
                        "tornado"}),
    "conv1x1.draw": (["conv1x1.compute", *ENGINE_CORE[1:], "conv1x1.draw"],
                     {"numpy", "matplotlib", "PIL", "matplotlib_inline", "IPython"}),
    "conv1x1.explore": (["conv1x1.compute", "conv1x1.engine", "conv1x1.draw", "conv1x1.explore"],
                        {"numpy", "matplotlib", "ipywidgets"}),
    "conv1x1.checks": (["conv1x1.compute", "conv1x1.checks"], {"numpy"}),
    "conv1x1.teach": (["conv1x1.compute"], set()),
    "conv1x1.solutions": (["conv1x1.compute", "conv1x1.teach", "conv1x1.checks"], {"numpy"}),
    "conv1x1": (["conv1x1.compute"], set()),            # the top level: the lessons' computing names
}

#: Imports a module of the computing layer makes inside a function, with the reason.
LAZY_EXCEPTIONS = {
    ("conv1x1.compute.data", "matplotlib"): "the course's photo ships with matplotlib and is read with its reader",
    ("conv1x1.compute.data", "PIL"): "pillow_grey reproduces Pillow's own grey conversion",
    ("conv1x1.compute.count", "torch"): "count_module reads a learner's PyTorch model, if PyTorch is installed",
    ("conv1x1.compute.count", "conv1x1.compute.torch_count"): "count_module runs a learner's PyTorch model "
                                                               "through it, if PyTorch is installed",
    ("conv1x1.draw.alt", "IPython"): "show() displays the figure (IPython.display), only when called",
}

#: matplotlib's internals that a leading underscore does not mark: public-looking names outside its
#: documented API (FreeType's font object, the renderer's image hook, an Axis's tick lists). Every other
#: internal is found without a list: any ``_name`` attribute or import this package uses but does not define.
UNMARKED_INTERNALS = {"get_font", "findfont", "get_hinting_flag", "FT2Font", "make_image", "majorTicks",
                      "minorTicks"}
#: Names with a leading underscore that Python documents as public API (a namedtuple's methods).
DOCUMENTED = {"_replace", "_asdict", "_fields", "_make"}
#: Another library's internal used outside the engine, with the reason (and where its guarantee ends).
OTHER_INTERNALS = {
    ("conv1x1.compute.torch_count", "_python_dispatch"): "TorchDispatchMode, PyTorch's documented hook for "
    "seeing every operation (\"Extending PyTorch\"), lives in torch.utils._python_dispatch; tested against the "
    "torch the tests install (2.13), and compared there with PyTorch's own FlopCounterMode on real networks",
}


def own_private_names() -> set[str]:
    """Every ``_name`` this package defines: functions, classes, attributes it assigns, arguments."""
    names = set()
    for _, path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if name.startswith("_")}


def internals_used(tree: ast.AST, own: set[str]) -> set[str]:
    """The library internals a module's syntax tree uses: private names it does not define itself, and
    :data:`UNMARKED_INTERNALS`."""
    def internal(name: str) -> bool:
        private = name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in DOCUMENTED
        return name in UNMARKED_INTERNALS or (private and name not in own)

    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and internal(node.attr):
            used.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and not node.level:          # another package's module
            used.update(alias.name for alias in node.names if internal(alias.name))
            used.update(part for part in (node.module or "").split(".") if internal(part))
        elif isinstance(node, ast.Import):
            used.update(part for alias in node.names for part in alias.name.split(".") if internal(part))
        elif isinstance(node, ast.FunctionDef) and node.name == "make_image":      # overriding the renderer's hook
            used.add(node.name)
    return used


MAY_USE_PRIVATE = {"conv1x1.engine.mpl"}

#: JupyterLab's page classes: only the engine's front-end files may name them.
PAGE_CLASSES = ("jp-Deck", "jp-Cell", "jp-NotebookPanel", "jp-WindowedPanel", "lm-Widget")


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path))
    return out


def rule_for(name: str) -> tuple[str, tuple[list[str], set[str]]]:
    key = max((k for k in RULES if name == k or name.startswith(k + ".")), key=len)
    return key, RULES[key]


def imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(absolute module imported, inside a function?) for every import in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, inner) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module
                if child.level and not child.module:       # from . import x: the submodules themselves
                    found.extend((f"{target}.{alias.name}", inner) for alias in child.names)
                else:
                    found.append((target, inner))
            visit(child, inner)

    visit(tree, False)
    return found


@pytest.mark.parametrize("name, path", modules(), ids=[name for name, _ in modules()])
def test_each_module_imports_only_from_the_layers_above_it(name, path):
    layer, (parts, third_party) = rule_for(name)
    wrong = []
    for target, nested in imports(name, path):
        top = target.split(".")[0]
        if top == "conv1x1":
            if (target != "conv1x1" and not any(target == p or target.startswith(p + ".") for p in parts)
                    and (name, target) not in LAZY_EXCEPTIONS):
                wrong.append(target)
        elif top not in STDLIB and top not in third_party and (name, top) not in LAZY_EXCEPTIONS:
            wrong.append(target)
    assert not wrong, f"{name} (layer {layer}) imports {sorted(set(wrong))}; it may import {parts} and {sorted(third_party)}"


def test_the_lazy_exceptions_are_lazy():
    for (name, top), why in LAZY_EXCEPTIONS.items():
        path = dict(modules())[name]
        placed = {nested for target, nested in imports(name, path) if target == top or target.startswith(top + ".")}
        assert placed == {True}, f"{name} imports {top} at module level; allowed only inside a function ({why})"


def test_importing_the_layers_loads_what_they_may_use_and_no_more():
    code = """
import sys
import conv1x1, conv1x1.compute.core, conv1x1.compute.cost, conv1x1.compute.count, conv1x1.compute.learn
import conv1x1.compute.model, conv1x1.compute.export, conv1x1.compute.data, conv1x1.compute.validate, conv1x1.checks
print("compute:", sorted(m for m in ("matplotlib", "ipywidgets", "anywidget", "torch", "PIL") if m in sys.modules))
import conv1x1.draw, conv1x1.draw.layer_kinds
print("draw:", sorted(m for m in ("ipywidgets", "anywidget", "traitlets", "IPython") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "compute: []" in out and "draw: []" in out, out


@pytest.mark.parametrize("name, path", modules(), ids=[name for name, _ in modules()])
def test_only_the_engines_mpl_module_uses_library_internals(name, path):
    if name in MAY_USE_PRIVATE:
        return
    used = internals_used(ast.parse(path.read_text(encoding="utf-8")), own_private_names())
    used -= {internal for module, internal in OTHER_INTERNALS if module == name}
    assert not used, f"{name} uses library internals {sorted(used)}: only conv1x1.engine.mpl may (and lists them)"


def test_the_internals_check_finds_what_it_is_for():
    """Planted uses of matplotlib's internals are found; the package's own private names are not."""
    planted = ast.parse("import matplotlib._api\nfrom matplotlib.text import _get_textbox\n"
                        "fig._suptitle.get_text()\nax.xaxis.majorTicks[0]\nself._background = None\n")
    assert internals_used(planted, {"_background"}) == {"_api", "_get_textbox", "_suptitle", "majorTicks"}


def test_the_mpl_module_lists_every_internal_it_uses():
    text = (PACKAGE / "engine" / "mpl.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(text))
    used = internals_used(ast.parse(text.replace(doc, "")), own_private_names())
    assert used, "conv1x1.engine.mpl uses no internal: remove it, and this test's exception"
    assert all(name in doc for name in used), f"used but not listed in its docstring: {sorted(n for n in used if n not in doc)}"


def test_only_the_engines_front_end_names_jupyterlabs_page_classes():
    allowed = {PACKAGE / "engine" / "static"}
    allowed_files = {PACKAGE / "engine" / "deck-styles.json"}      # the slides' stylesheet (tools/slides.py)
    named = []
    for path in PACKAGE.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".js", ".css", ".json") and path not in allowed_files \
                and not any(a in path.parents for a in allowed):
            text = path.read_text(encoding="utf-8")
            named += [f"{path.relative_to(PACKAGE.parent)}: {c}" for c in PAGE_CLASSES if c in text]
    assert not named, named
