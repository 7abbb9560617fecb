"""One error hierarchy: every core error is an AppError, and the CLI turns its kind into the exit status."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import translator_app.core
from translator_app.cli.main import main
from translator_app.core.types.errors import AppError, ControlFlowSignal, ErrorKind, GlossaryError, TrainingError


def core_exception_classes() -> list[type[BaseException]]:
    """Every exception class defined (not just imported) in a module under translator_app.core."""
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(translator_app.core.__path__, prefix="translator_app.core."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_core_exception_is_an_app_error_or_a_documented_signal() -> None:
    classes = core_exception_classes()
    assert len(classes) >= 12  # the walk found the modules (a broken walk must not pass vacuously)
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in classes
        if not issubclass(cls, (AppError, ControlFlowSignal)) and cls is not AppError
    ]
    assert strays == []


def test_control_flow_signals_are_not_errors_and_are_documented() -> None:
    from translator_app.core.translator import TranslationCancelled

    assert not issubclass(ControlFlowSignal, AppError) and not issubclass(TranslationCancelled, AppError)
    for cls in core_exception_classes():
        if issubclass(cls, ControlFlowSignal):
            assert cls.__doc__, f"{cls.__qualname__} must say why it is a signal"


def test_the_kind_is_the_exit_status_and_built_in_bases_are_kept() -> None:
    from translator_app.core.model_store import ModelStoreFailure, NameTakenError
    from translator_app.core.types.errors import EncodingError
    from translator_app.core.training.runlock import RunBusyError

    assert [k.value for k in ErrorKind] == [2, 1]
    assert TrainingError("x").exit_code == 1 and ModelStoreFailure("x").exit_code == 1
    assert GlossaryError("x").exit_code == 2 and NameTakenError("x").exit_code == 2
    assert issubclass(GlossaryError, ValueError) and issubclass(EncodingError, ValueError)
    assert issubclass(RunBusyError, FileExistsError) and RunBusyError("busy").exit_code == 2


@pytest.mark.parametrize(
    ("error", "code"),
    [(GlossaryError("glossary.tsv line 3: no tab; separate the terms with a tab"), 2), (TrainingError("the loss is NaN"), 1)],
)
def test_the_cli_maps_a_user_error_to_2_and_a_failure_to_1_with_one_line(monkeypatch, capsys, error, code) -> None:
    import translator_app.cli.commands.models as models_command

    def raises(args) -> int:
        raise error

    monkeypatch.setattr(models_command, "run", raises)  # the handler `models` registers when main builds its parser
    assert main(["models"]) == code
    assert capsys.readouterr().err == f"error: {error}\n"


def test_a_real_user_error_exits_2_without_a_traceback(tmp_path) -> None:
    missing = tmp_path / "nope.zip"
    done = subprocess.run(
        [sys.executable, "-m", "translator_app", "models", "import", str(missing)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_the_core_and_cli_raise_no_bare_built_in_errors_for_the_user():
    """Every error a shell shows is an AppError (InvalidInput and AlreadyExists keep their built-in
    base for callers that check it): the CLI catches AppError and the system's OSError, nothing else."""
    import ast

    from translator_app.core.types.errors import AlreadyExists, AppError, InvalidInput

    assert issubclass(InvalidInput, AppError) and issubclass(InvalidInput, ValueError)
    assert issubclass(AlreadyExists, AppError) and issubclass(AlreadyExists, FileExistsError)
    package = Path(__file__).resolve().parents[1] / "translator_app"
    bare = []
    for path in [*package.joinpath("core").rglob("*.py"), *package.joinpath("cli").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = node.exc.func if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) else None
            if isinstance(called, ast.Name) and called.id in ("ValueError", "FileExistsError", "FileNotFoundError"):
                bare.append(f"{path.relative_to(package)}:{node.lineno} {called.id}")
    assert bare == []
