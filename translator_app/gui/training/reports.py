"""The training worker's answers, read off the core's objects into ``results``' plain data.

Called on the worker thread only (they import the core, and torch with it): the unfinished runs
and what each one was, a preview of the user's data, a prepared run's numbers, how a run ended, and
a failure in the user's words. The worker decides when to send them; these say what they hold.
"""

from __future__ import annotations

from pathlib import Path

from translator_app.core.types.train_types import RunStatus
from translator_app.gui.training.results import (
    PreviewResult,
    RunInfo,
    RunOutcome,
    UnfinishedRun,
    column_labels,
    describe_exception,
)

PREVIEW_ROWS = 50


def find_unfinished_runs() -> list[UnfinishedRun]:
    """The runs that can be resumed, each with its checkpoint's progress (or why it cannot be resumed)."""
    from translator_app.core.training import facade
    from translator_app.core.types.run_spec import load_run_spec

    found = []
    for run_dir in facade.unfinished_runs():
        state = facade.progress(run_dir)
        try:
            spec = load_run_spec(run_dir)
        except ValueError as exc:
            found.append(UnfinishedRun(run_dir, run_dir.name, f"cannot be resumed: {exc}", 0, 0, 0))
            continue
        what = f"fine-tuning {Path(spec.base_model).name}" if spec.base_model else f"{spec.architecture} from scratch"
        data = ", ".join(Path(p).name for p in spec.data)
        found.append(
            UnfinishedRun(
                run_dir,
                spec.name,
                f"{what} on {data}",
                state.epoch,
                spec.train.epochs,
                state.step,
                state.history,
                state.step_losses,
                state.base or {},
                spec,
            )
        )
    return found


def read_preview(paths: list, fmt: str | None, columns: tuple[int, int] | None) -> PreviewResult:
    """The first pairs of the user's file(s) and the reader's report on all of them."""
    from translator_app.core.readers import preview

    data = preview(paths, fmt, columns=(columns[0], columns[1]) if columns else None, rows=PREVIEW_ROWS)
    report = data.report
    labels = column_labels(report.table) if report.table is not None else []
    return PreviewResult(
        paths=[str(p) for p in report.files],
        format=report.format,
        pairs=list(data.pairs),
        kept=report.kept,
        total_rows=report.total_rows,
        skipped=dict(report.skipped),
        summary=report.summary(),
        encoding=report.encoding,
        columns=report.columns,
        column_labels=labels,
    )


def run_info(prepared, resumed: bool = False) -> RunInfo:
    """A prepared run's data, steps and device (``prepared``: a core ``PreparedRun``)."""
    from translator_app.core.devices import describe_device

    trainer, spec = prepared.trainer, prepared.spec
    return RunInfo(
        name=spec.name,
        run_dir=Path(prepared.run_dir),
        train_pairs=prepared.train_pairs,
        validation_pairs=prepared.validation_pairs,
        data_report=prepared.data_report,
        steps_per_epoch=trainer.batches_per_epoch,
        total_steps=trainer.total_steps,
        epochs=trainer.config.epochs,
        device=describe_device(trainer.device),
        base_model=spec.base_model,
        architecture=trainer.model.config.architecture,
        resumed=resumed,
    )


def run_outcome(prepared, result, *, closing: bool) -> RunOutcome:
    """How ``prepared``'s fit ended (``result``: its ``TrainResult``); cancelled by a closing window reads CLOSING."""
    from translator_app.core.training.facade import no_model_reason

    return RunOutcome(
        name=prepared.spec.name,
        run_dir=Path(prepared.run_dir),
        status=RunStatus.CLOSING if closing and result.status is RunStatus.CANCELLED else result.status,
        epochs_completed=result.epochs_completed,
        steps=result.steps,
        best_epoch=result.best_epoch,
        best_val_bleu=result.best_val_bleu,
        seconds=result.seconds,
        history=list(result.history),
        has_model=result.best_folder is not None,
        no_model_reason="" if result.best_folder is not None else no_model_reason(result),
        base_val_bleu=result.base_val_bleu,
        base_general_bleu=result.base_general_bleu,
        best_general_bleu=result.best_general_bleu,
        gains=result.gain_report(prepared.spec.train.forgetting_budget),
        fall_warning=result.fall_warning(),
    )


def failure_message(what: str, exc: BaseException, run_dir: Path | None) -> str:
    """``what`` failed and why, in one sentence; and, when ``run_dir`` has a checkpoint, that it can be resumed."""
    message = f"{what}: {describe_exception(exc)}"
    message = message if message.endswith(".") else message + "."
    if run_dir is not None:
        try:
            from translator_app.core.training.facade import resumable

            if resumable(run_dir):
                if "checkpoint is kept" not in message:
                    message += " The last good checkpoint is kept."
                message += " You can resume the run from the Training tab."
        except Exception:
            pass
    return message
