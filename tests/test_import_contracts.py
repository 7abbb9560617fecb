"""The import contracts (pyproject's ``[tool.importlinter]``) hold, and they catch what they forbid.

CI runs ``lint-imports`` itself (``.ci/run``); running it here too means a plain ``pytest`` notices a shell
reaching into the core. The planted cases check the contracts, not the tree: each copies the package,
adds one forbidden import and expects that contract, and only that one, to break.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

CONTRACTS = {
    "qt": "The core imports neither Qt nor a shell",
    "types": "The types package imports nothing from translator_app outside itself",
    "shells": "The shells import only the core's facades, its shared services and the types package",
}


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package in ``where``, with the project's contracts, wide enough not to wrap."""
    command = ["lint-imports", "--no-cache", "--config", str(where / "pyproject.toml")]
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run(command, cwd=where, capture_output=True, text=True, timeout=300, env=env)


def broken(output: str) -> set[str]:
    return {key for key, name in CONTRACTS.items() if f"{name} BROKEN" in output}


def test_the_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"{name} KEPT" in result.stdout for name in CONTRACTS.values()), result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("gui/about.py", "from translator_app.core.text import split_sentences", "shells"),
        ("cli/terminal.py", "from translator_app.core.models import build_model", "shells"),
        ("core/credits.py", "import PySide6", "qt"),
        ("core/paths.py", "from translator_app.gui import theme", "qt"),
        ("core/types/train_types.py", "from translator_app.core.paths import user_models_dir", "types"),
        ("core/types/options.py", "from translator_app.devtools import peak_memory", "types"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    shutil.copytree(ROOT / "translator_app", tmp_path / "translator_app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    planted = tmp_path / "translator_app" / module
    planted.write_text(planted.read_text(encoding="utf-8") + f"\n{line}  # planted\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert broken(result.stdout) == {contract}, result.stdout
