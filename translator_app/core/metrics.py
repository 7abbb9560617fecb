"""BLEU two ways, and chrF, all computed by sacreBLEU.

- sacreBLEU on detokenized, cased output: the comparable figure, reported with its signature.
- Lowercased spaCy-tokenized BLEU: how the PyTorch seq2seq tutorials reported theirs, so our
  numbers can be set beside theirs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence

import sacrebleu

from translator_app.core.text import tokenize_for_bleu
from translator_app.core.types.errors import InvalidInput


@dataclass
class Scores:
    sacrebleu: float
    sacrebleu_signature: str
    tokenized_bleu: float
    chrf: float
    sentences: int

    def to_dict(self) -> dict:
        return asdict(self)


def sacrebleu_score(hypotheses: Sequence[str], references: Sequence[str]) -> tuple[float, str]:
    metric = sacrebleu.metrics.BLEU()
    result = metric.corpus_score(list(hypotheses), [list(references)])
    return result.score, str(metric.get_signature())


def tokenized_bleu(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    hyps = [tokenize_for_bleu(h) for h in hypotheses]
    refs = [tokenize_for_bleu(r) for r in references]
    return sacrebleu.metrics.BLEU(tokenize="none", force=True).corpus_score(hyps, [refs]).score


def chrf_score(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    return sacrebleu.metrics.CHRF().corpus_score(list(hypotheses), [list(references)]).score


def score_all(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    if len(hypotheses) != len(references):
        raise InvalidInput(f"{len(hypotheses)} translations but {len(references)} references")
    bleu, signature = sacrebleu_score(hypotheses, references)
    return Scores(bleu, signature, tokenized_bleu(hypotheses, references), chrf_score(hypotheses, references), len(hypotheses))
