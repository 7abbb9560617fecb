"""Each name has one import path, and the types package imports no torch.

A name defined in one module and named in another (a re-export) gives a newcomer two places to
look and lets a torch-free caller pull torch in by the wrong path (``DecodeOptions`` through
``core.search`` once did). The rule the first test checks:

- A plain module's re-exports are never imported through it: the name's home is its path.
- A package may re-export its own submodules' names as its facade (``core.readers``): a name it
  re-exports is imported through the package, never from its submodule, outside the package.
  (Inside, the submodules import each other directly: the facade imports them.)

"Imported" means a ``from X import Y`` anywhere in the package, the tests, scripts or benchmarks. A
name is a re-export of X when it is a class or function defined elsewhere (its ``__module__``), or any
value, a constant too, that X's own module-level ``from ... import`` brought in.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import translator_app
import translator_app.core.types

ROOT = Path(__file__).resolve().parents[1]
IMPORTERS = ("translator_app", "tests", "scripts", "benchmarks", "packaging")


@dataclass(frozen=True)
class FromImport:
    module: str  # X of ``from X import Y``
    name: str  # Y
    where: str  # file:line
    importer: str  # the importing file as a dotted path ("tests.test_x", "translator_app.core.y")


def all_modules(package) -> dict[str, object]:
    """Every module under ``package``, imported (torch and Qt are installed; Qt runs offscreen)."""
    modules = {package.__name__: package}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.endswith("__main__"):
            modules[info.name] = importlib.import_module(info.name)
    return modules


def from_imports() -> list[FromImport]:
    found = []
    for top in IMPORTERS:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            dotted = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(rel))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("translator_app"):
                    found += [FromImport(node.module or "", a.name, f"{rel}:{node.lineno}", dotted) for a in node.names]
    return found


def reexports(modules: dict[str, object], imports: list[FromImport]) -> dict[tuple[str, str], str]:
    """(module, name) -> the name's home, for each public name a module holds but does not define: a class
    or function defined elsewhere (its ``__module__``), or any value (a constant too) it imports by name."""
    found = {}
    for imp in imports:  # constants have no __module__: that the module imports them says where they are from
        module, source = modules.get(imp.importer), modules.get(imp.module)
        if module is None or source is None or imp.name.startswith("_") or imp.name not in vars(module):
            continue
        value = vars(module)[imp.name]
        if value is getattr(source, imp.name, None) and not inspect.ismodule(value):  # not a function's own import
            found[(imp.importer, imp.name)] = imp.module
    for module_name, module in modules.items():
        for name, value in vars(module).items():
            if name.startswith("_") or not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            home = value.__module__
            if home != module_name and home.startswith("translator_app."):
                found[(module_name, name)] = home
    return found


def violations(modules: dict[str, object], imports: list[FromImport]) -> list[str]:
    problems = []
    by_path: dict[tuple[str, str], list[FromImport]] = {}
    for imp in imports:
        by_path.setdefault((imp.module, imp.name), []).append(imp)
    for (module_name, name), home in sorted(reexports(modules, imports).items()):
        facade = hasattr(modules[module_name], "__path__") and home.startswith(module_name + ".")
        if facade:  # the package is the path: nothing outside it imports the name from its submodule
            wrong = [i for i in by_path.get((home, name), []) if not (i.importer + ".").startswith(module_name + ".")]
            problems += [f"{i.where}: imports {name} from {home}; its path is the package {module_name}" for i in wrong]
        else:  # the home is the path
            wrong = by_path.get((module_name, name), [])
            problems += [f"{i.where}: imports {name} from {module_name}; its home is {home}" for i in wrong]
    return problems


def test_no_name_is_imported_by_a_second_path():
    assert violations(all_modules(translator_app), from_imports()) == []


def test_the_check_finds_a_name_imported_through_a_re_export():
    """The rule itself, on known cases: a plain module's re-export, a facade's name from its submodule."""
    modules = all_modules(translator_app)
    planted = [
        FromImport("translator_app.core.modelfile", "ModelFileError", "planted.py:1", "tests.planted"),
        FromImport("translator_app.core.modelfile", "FORMAT_VERSION", "planted.py:5", "tests.planted"),
        FromImport(
            "translator_app.core.types.modelformat",
            "FORMAT_VERSION",
            "translator_app/core/modelfile.py:9",
            "translator_app.core.modelfile",
        ),
        FromImport("translator_app.core.readers.read", "read_parallel", "planted.py:2", "tests.planted"),
        FromImport("translator_app.core.readers.read", "read_parallel", "inside.py:3", "translator_app.core.readers.table"),
        FromImport("translator_app.core.types.modelformat", "ModelFileError", "fine.py:4", "tests.fine"),
    ]
    assert violations(modules, planted) == [
        "planted.py:5: imports FORMAT_VERSION from translator_app.core.modelfile; its home is translator_app.core.types.modelformat",
        "planted.py:1: imports ModelFileError from translator_app.core.modelfile; its home is translator_app.core.types.modelformat",
        "planted.py:2: imports read_parallel from translator_app.core.readers.read; its path is the package translator_app.core.readers",
    ]


def test_the_types_package_imports_no_torch():
    """The window builds options, reads model configs and catches errors before torch is loaded."""
    names = ["translator_app.core.types"] + [
        info.name for info in pkgutil.walk_packages(translator_app.core.types.__path__, "translator_app.core.types.")
    ]
    assert len(names) >= 6
    imports = "".join(f"import {n}\n" for n in names)
    check = (
        "heavy = sorted(m for m in ('torch', 'numpy', 'PySide6', 'safetensors') if m in sys.modules)\nassert not heavy, heavy\n"
    )
    code = "import sys\n" + imports + check
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
