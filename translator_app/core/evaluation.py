"""Scoring a model on a test set, the same way for the CLI, the trainer's reports and the model cards."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

from translator_app.core.atomic import write_file_atomic
from translator_app.core.metrics import Scores, score_all
from translator_app.core.readers import read_parallel
from translator_app.core.types.options import DecodeOptions
from translator_app.core.translator import Translator
from translator_app.core.types.errors import InvalidInput


@dataclass
class EvaluationReport:
    scores: Scores
    options: dict
    seconds: float
    translations: list[str]
    skipped: dict[str, int]


def evaluate_pairs(translator: Translator, sources: list[str], references: list[str], options: DecodeOptions) -> EvaluationReport:
    start = time.perf_counter()
    outputs = translator.translate_sentences(sources, options)
    seconds = time.perf_counter() - start
    hypotheses = [o.hypotheses[0].text if o.hypotheses else "" for o in outputs]
    return EvaluationReport(score_all(hypotheses, references), asdict(options), seconds, hypotheses, {})


def evaluate_files(
    translator: Translator, src: str | Path, ref: str | Path, options: DecodeOptions, output: str | Path | None = None
) -> EvaluationReport:
    """Every line pair counts (no de-duplication); only pairs with an empty side are skipped."""
    if output and (Path(output).is_dir() or not Path(output).resolve().parent.is_dir()):
        raise InvalidInput(
            f"cannot write the translations to {output}: "
            + ("it is a folder" if Path(output).is_dir() else "its folder does not exist")
        )
    data = read_parallel([src, ref], "aligned", dedupe=False, max_chars=None)
    report = evaluate_pairs(translator, [p[0] for p in data.pairs], [p[1] for p in data.pairs], options)
    report.skipped = dict(data.report.skipped)
    if output:
        try:
            write_file_atomic(Path(output), ("\n".join(report.translations) + "\n").encode("utf-8"))
        except OSError as exc:
            raise InvalidInput(
                f"cannot write the translations to {output} ({exc.strerror or exc}); "
                f"the scores: sacreBLEU {report.scores.sacrebleu:.2f}, chrF {report.scores.chrf:.2f}"
            ) from None
    return report
