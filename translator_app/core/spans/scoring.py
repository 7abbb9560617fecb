"""How well translations keep the spans of a German text: exactly rendered, or dropped.

A corpus line is a German sentence and the spans a careful English translation holds, each as
"kind:English" ("money:€1,299.99 | percent:19%"). A span is *exact* when the output holds its
English as written (each as often as listed); it is *dropped* when the output lacks its digits
or its unit, currency or month in any form ("42,195" without "km", "1.299,99" without "€") —
a span written another way ("14:30" for "2:30 PM", "2.4%" for "2.4 percent") is neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Words and signs that may stand for one another in an output; "AM"/"PM"/"o'clock" are style, not value.
_SAME = {"%": ("%", "percent", "per cent"), "percent": ("%", "percent", "per cent"), "€": ("€", "euro"), "$": ("$", "dollar")}
_STYLE = {"am", "pm", "o'clock"}


@dataclass(frozen=True)
class CorpusSpan:
    kind: str
    english: str


@dataclass(frozen=True)
class CorpusLine:
    source: str
    spans: tuple[CorpusSpan, ...]


@dataclass
class KindScore:
    count: int = 0
    exact: int = 0
    dropped: int = 0

    @property
    def exact_rate(self) -> float:
        return self.exact / self.count if self.count else 0.0


@dataclass
class SpanReport:
    kinds: dict[str, KindScore] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (source, expected span, output)
    drops: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def total(self) -> KindScore:
        return KindScore(*(sum(getattr(k, f) for k in self.kinds.values()) for f in ("count", "exact", "dropped")))


def read_span_corpus(path: Path) -> list[CorpusLine]:
    """The corpus file: one "German<TAB>kind:English | kind:English" per line; "#" lines are comments."""
    lines = []
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        source, spans = row.split("\t")
        lines.append(CorpusLine(source, tuple(CorpusSpan(*s.split(":", 1)) for s in spans.split(" | "))))
    return lines


def score_spans(outputs: list[str], corpus: list[CorpusLine]) -> SpanReport:
    report = SpanReport()
    for output, line in zip(outputs, corpus, strict=True):
        left = output  # each expected span is found once: a repeated one must be there twice
        for span in line.spans:
            score = report.kinds.setdefault(span.kind, KindScore())
            score.count += 1
            found = _find(span.english, left)
            if found is not None:
                score.exact += 1
                left = left[: found[0]] + " " + left[found[1] :]
                continue
            report.misses.append((line.source, span.english, output))
            if _dropped(span.english, output):
                score.dropped += 1
                report.drops.append((line.source, span.english, output))
    return report


def _find(span: str, text: str) -> tuple[int, int] | None:
    """Where ``span`` stands in ``text`` as a whole ("3" is not in "30" or "3.5")."""
    match = re.search(rf"(?<!\w)(?<!\d[.,:/]){re.escape(span)}(?![\w]|[.,:/]?\d)", text)
    return match.span() if match else None


def _dropped(span: str, output: str) -> bool:
    """The span's digits are nowhere in the output (separators aside), or one of its words or signs is not."""
    digits = "".join(re.findall(r"\d", span))
    said = "".join(re.findall(r"\d", output))
    if digits and digits not in said and _clock24(span) not in said:
        return True
    lowered = output.lower()
    for word in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?|[^\w\s.,:–-]", span.lower()):
        if word not in _STYLE and not any(w in lowered for w in _SAME.get(word, (word,))):
            return True
    return False


def _clock24(span: str) -> str:
    """The digits of a 12-hour time on the 24-hour clock ("2:30 PM" -> "1430"), else none."""
    match = re.fullmatch(r"(\d{1,2})(?::(\d\d))? ([AP])M", span)
    if not match:
        return "-"
    hour = int(match.group(1)) % 12 + (12 if match.group(3) == "P" else 0)
    return f"{hour}{match.group(2) or ''}"
