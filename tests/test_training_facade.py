"""The training facade (issue 30, item 1): the run lifecycle written once, and the shells on it alone.

``finish`` publishes a run's best model and deletes its folder, discards a run that ended with
nothing to resume, keeps a cancelled one, and keeps the lock when the name is refused (the tab asks
for another); the GUI and the CLI import no training module but the facade and the run's spec;
the shells and ``scripts/train_corpus.py`` never drive the trainer themselves; and the facade loads
without torch, so the window lists unfinished runs before torch is imported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT
from translator_app.core.types.train_types import RunStatus, TrainResult
from translator_app.core.training import facade, runner
from translator_app.core.types.run_spec import RunSpec
from translator_app.core.training.runlock import RunBusyError, RunLock

PACKAGE = ROOT / "translator_app"
SHELL_TRAINING_IMPORTS = {"translator_app.core.training.facade"}  # RunSpec and the defaults are core.types.run_spec's
LIFECYCLE_CALLERS = [
    PACKAGE / "cli" / "commands" / "train.py",
    PACKAGE / "gui" / "training" / "worker.py",
    PACKAGE / "gui" / "training" / "run_folders.py",
    ROOT / "scripts" / "train_corpus.py",
]


def _held_run(run_dir: Path) -> facade.PreparedRun:
    """A prepared run as the facade sees it after training: a folder with a checkpoint, locked."""
    (run_dir / "checkpoint").mkdir(parents=True)
    for name in ("state.json", "state.safetensors"):  # what has_checkpoint looks for
        (run_dir / "checkpoint" / name).write_text("{}", encoding="utf-8")
    trainer = SimpleNamespace(distributed=SimpleNamespace(is_main=True))
    return facade.PreparedRun(trainer, run_dir, RunSpec(name=run_dir.name), "", 10, 2, lock=RunLock(run_dir).acquire())  # type: ignore[arg-type]


def _result(status: RunStatus, best: Path | None) -> TrainResult:
    return TrainResult(status, 1, 10, 1 if best else None, 12.5 if best else None, best, 1.0)


def _locked(run_dir: Path) -> bool:
    try:
        RunLock(run_dir).acquire().release()
    except RunBusyError:
        return True
    return False


def test_finish_publishes_the_best_model_then_deletes_the_run_and_frees_its_name(tmp_path, monkeypatch):
    prepared = _held_run(tmp_path / "good")
    published = []
    monkeypatch.setattr(runner, "publish_run", lambda run_dir, name, result: published.append(name) or tmp_path / "models" / name)
    target = facade.finish(prepared, _result(RunStatus.FINISHED, tmp_path / "good" / "best"))
    assert target == tmp_path / "models" / "good" and published == ["good"]
    assert not (tmp_path / "good").exists() and not _locked(tmp_path / "good")


def test_a_refused_name_keeps_the_run_and_its_lock_for_another_name(tmp_path, monkeypatch):
    prepared = _held_run(tmp_path / "taken")

    def publish_run(run_dir, name, result):
        if name == "taken":
            raise FileExistsError("a model named 'taken' exists")
        return tmp_path / "models" / name

    monkeypatch.setattr(runner, "publish_run", publish_run)
    result = _result(RunStatus.FINISHED, tmp_path / "taken" / "best")
    with pytest.raises(FileExistsError):
        facade.finish(prepared, result)
    assert (tmp_path / "taken" / "checkpoint").is_dir() and _locked(tmp_path / "taken")
    assert facade.finish(prepared, result, name="other") == tmp_path / "models" / "other"
    assert not (tmp_path / "taken").exists() and not _locked(tmp_path / "taken")


@pytest.mark.parametrize(
    "status, kept", [(RunStatus.CANCELLED, True), (RunStatus.FINISHED, False), (RunStatus.EARLY_STOPPED, False)]
)
def test_a_run_without_a_model_is_kept_only_when_it_can_go_on(tmp_path, status, kept):
    prepared = _held_run(tmp_path / "run")
    assert facade.finish(prepared, _result(status, None)) is None
    assert (tmp_path / "run").exists() is kept and facade.resumable(tmp_path / "run") is kept
    assert not _locked(tmp_path / "run")


def test_discard_run_refuses_a_run_another_holds_and_deletes_ones_own(tmp_path):
    prepared = _held_run(tmp_path / "busy")
    with pytest.raises(RunBusyError):
        facade.discard_run(tmp_path / "busy")  # not passed as held: locked here first, and refused
    assert (tmp_path / "busy").exists()
    facade.discard_run(tmp_path / "busy", held=prepared)
    assert not (tmp_path / "busy").exists()


def test_discard_unstarted_keeps_a_folder_that_can_be_resumed(tmp_path):
    (tmp_path / "estimated").mkdir()
    facade.discard_unstarted(tmp_path / "estimated")
    _held_run(tmp_path / "trained").release()
    facade.discard_unstarted(tmp_path / "trained")
    assert not (tmp_path / "estimated").exists() and (tmp_path / "trained").exists()
    with pytest.raises(ValueError):
        facade.run_folder("../elsewhere")


def _training_imports(path: Path) -> set[str]:
    """The ``translator_app.core.training`` modules a file imports, wherever in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "translator_app.core.training":
                found |= {f"{node.module}.{a.name}" for a in node.names}
            else:
                found.add(node.module)
    return {m for m in found if m.startswith("translator_app.core.training.")}


def test_the_shells_reach_training_through_the_facade_alone():
    files = (
        sorted((PACKAGE / "gui").rglob("*.py")) + sorted((PACKAGE / "cli").rglob("*.py")) + [ROOT / "scripts" / "train_corpus.py"]
    )
    beyond = {str(f.relative_to(ROOT)): sorted(_training_imports(f) - SHELL_TRAINING_IMPORTS) for f in files}
    assert {f: m for f, m in beyond.items() if m} == {}


def test_the_run_lifecycle_is_written_once():
    """Preparing, training, publishing and discarding are the facade's: no caller does them itself."""
    for path in LIFECYCLE_CALLERS:
        text = path.read_text(encoding="utf-8")
        for own in ("prepare_run(", "publish_run(", ".fit(", "estimate_seconds(", "remove_tree_atomically("):
            assert own not in text, f"{path.name} calls {own} itself"


def test_the_facade_loads_without_torch():
    code = (
        "import sys; import translator_app.core.training.facade, translator_app.gui.training.reports, "
        "translator_app.gui.training.run_folders; print('torch' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
