"""Spans the model copies, never translates: numbers, amounts, dates, times, URLs, e-mail, emoji.

A model that sees "3,5 kg" or "info@example.org" as subwords may translate, round or drop them. So
before encoding, each such span is replaced by a placeholder, one private-use character per span
in order of appearance (U+E000, U+E001, ...), which the vocabulary holds as an unbreakable
user-defined piece; after decoding, each placeholder is replaced by the span's English rendering
("3,5 kg" -> "3.5 kg", "3. Oktober 2023" -> "October 3, 2023": ``core.spans`` reads and writes
them, with its rules for the ambiguous cases). The models learn to copy placeholders because
their training pairs are masked the same way wherever the target holds the span's value in any
English form (``protect_pair``). A vocabulary without these pieces (the older Multi30k models)
simply gets its text unmasked: ``SubwordVocab.has_placeholders`` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator_app.core.spans import EMOJI, Span, find_spans
from translator_app.core.spans.recognize import EMAIL, URL

MAX_PLACEHOLDERS = 24
PLACEHOLDERS = tuple(chr(0xE000 + i) for i in range(MAX_PLACEHOLDERS))
_PLACEHOLDER = re.compile("[" + PLACEHOLDERS[0] + "-" + PLACEHOLDERS[-1] + "]")

# The spans as a model without placeholders must copy them, character for character (it is
# checked for them, ``Translator``): digits with their separators, URLs, addresses, emoji.
SPAN = re.compile(rf"{URL}|{EMAIL}|{EMOJI}|\d+(?:[.,:/]\d+)*")
# Every private-use character (the BMP's area and planes 15-16): the placeholders are some, and
# none of them is text a reader could see, so none may reach the output.
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@dataclass(frozen=True)
class Masked:
    text: str  # the text with each span replaced by its placeholder
    spans: tuple[str, ...]  # spans[i] is what PLACEHOLDERS[i] is restored as: the span's English rendering
    sources: tuple[str, ...]  # sources[i] is what PLACEHOLDERS[i] stands for in the German (the attention view)


def protect(text: str) -> Masked:
    """Mask every protected span (up to MAX_PLACEHOLDERS; later ones stay text: ``split_for_budget``
    cuts a longer sentence first)."""
    text = PRIVATE_USE.sub("", text)  # a stray private-use character must not pose as a span, nor be copied
    spans = find_spans(text)[:MAX_PLACEHOLDERS]
    return Masked(
        _masked(text, [(s.start, s.end) for s in spans]), tuple(s.english for s in spans), tuple(s.source for s in spans)
    )


def _masked(text: str, places: list[tuple[int, int]]) -> str:
    """``text`` with the i-th of the sorted, disjoint ``places`` replaced by PLACEHOLDERS[i]."""
    pieces, last = [], 0
    for index, (start, end) in enumerate(places):
        pieces += [text[last:start], PLACEHOLDERS[index]]
        last = end
    return "".join(pieces) + text[last:]


def restore(text: str, spans: tuple[str, ...]) -> str:
    """Put the spans back. A placeholder the model dropped is appended before the final
    punctuation, so that a number or address is never silently lost; one it made up, or repeated
    (a stutter), is removed."""
    used: set[int] = set()

    def unmask(match: re.Match) -> str:
        index = ord(match.group(0)) - 0xE000
        if index >= len(spans) or index in used:  # made up, or repeated: each span stands once
            return ""
        used.add(index)
        return spans[index]

    text = re.sub(f"({_PLACEHOLDER.pattern})(?:[\\s,;]*\\1)+", r"\1", text)  # a stutter: "12, 12, 12" is "12"
    out = _PLACEHOLDER.sub(unmask, text)
    out = re.sub(r"\s+([,.;:!?])", r"\1", out)  # what a removed placeholder leaves: "12 , ,"
    out = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", out)
    missing = [spans[i] for i in range(len(spans)) if i not in used]
    if missing:
        body = out.rstrip()
        end = len(body.rstrip(".!?…"))
        out = (body[:end].rstrip() + " " + " ".join(missing)).strip() + body[end:]
    return re.sub(r" {2,}", " ", PRIVATE_USE.sub("", out)).strip()


def scrub(text: str) -> str:
    """A translation with no private-use character left: a placeholder the model made up for a
    source without spans is removed as ``restore`` removes one (``text`` unchanged when it has none)."""
    return restore(text, ()) if PRIVATE_USE.search(text) else text


def split_for_budget(text: str, spans: list[tuple[int, int]], budget: int = MAX_PLACEHOLDERS) -> list[str]:
    """``text`` cut into parts of at most ``budget`` protected spans each (``spans``: their sorted
    (start, end) in ``text``), so that every span gets a placeholder: there are only ``budget`` of
    them in the shipped vocabularies. Each cut lies between two spans, after a comma, semicolon or
    colon there if any, else at a space, so no span and, where possible, no clause is cut."""
    parts: list[str] = []
    start = 0
    while len(spans) > budget:
        gap_start, gap_end = spans[budget - 1][1], spans[budget][0]
        gap = text[gap_start:gap_end]
        clause = [m.end() for m in re.finditer(r"[,;:]\s+", gap)]
        space = [m.end() for m in re.finditer(r"\s+", gap)]
        cut = gap_start + (clause or space or [0])[-1]
        parts.append(text[start:cut].strip())
        start = cut
        spans = [s for s in spans if s[0] >= cut]
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def missing_spans(spans: list[str], text: str, whole: bool = True) -> list[str]:
    """The spans (each as often as listed) that ``text`` does not hold. With ``whole`` a number
    counts only where no digit continues it ("3" is not in "30" or "3,5"), so a lost number is not
    hidden by another; without, any occurrence counts (restored placeholders may sit side by side)."""
    needed: dict[str, int] = {}
    for span in spans:
        needed[span] = needed.get(span, 0) + 1
    lost: list[str] = []
    for span, count in needed.items():
        before = r"(?<![\d])(?<!\d[.,:/])" if whole and span[:1].isdigit() else ""
        after = r"(?![.,:/]?\d)" if whole and span[-1:].isdigit() else ""
        found = len(re.findall(before + re.escape(span) + after, text))
        lost += [span] * max(0, count - found)
    return lost


def protect_pair(source: str, target: str) -> tuple[str, str]:
    """A training pair with each span of the source masked on both sides where the target writes it.

    The target may write the span in any of its English forms (``Span.accepted``: "3,5 kg" is found
    as "3.5 kg" or "3.5 kilograms", "3. Oktober 2023" as "October 3, 2023" or "3 October 2023"),
    so the model learns to copy the placeholder whatever English form its data chose, and at
    translation time the placeholder becomes the one rendering ``core.spans`` writes. A span whose
    value the target does not hold ("zwei" / "2", or a unit the target leaves out) stays text on
    both sides, so the model still learns those as words. Placeholders are numbered in source order,
    as at translation time; each occurrence of a span is its own placeholder.
    """
    source = _PLACEHOLDER.sub("", source)
    target = _PLACEHOLDER.sub("", target)
    kept: list[Span] = []
    taken: list[tuple[int, int]] = []  # where each kept span stands in the target, in kept order
    for span in find_spans(source):
        if len(kept) == MAX_PLACEHOLDERS:
            break
        place = _find_form(span.accepted, target, taken)
        if place is not None:
            kept.append(span)
            taken.append(place)
    if not kept:
        return source, target
    order = sorted(range(len(taken)), key=lambda i: taken[i][0])
    pieces, last = [], 0
    for index in order:
        start, end = taken[index]
        pieces += [target[last:start], PLACEHOLDERS[index]]
        last = end
    return _masked(source, [(s.start, s.end) for s in kept]), "".join(pieces) + target[last:]


def _find_form(forms: tuple[str, ...], text: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where one of ``forms`` (longest first) stands in ``text`` as a whole token, clear of ``taken``."""
    for form in sorted(forms, key=len, reverse=True):
        for start in _whole_tokens(form, text):
            end = start + len(form)
            if all(end <= a or start >= b for a, b in taken):
                return start, end
    return None


# A span counts only as a whole token: "3" must not match inside "30" or "3,5". As lookarounds
# around the escaped span these would be one regex per distinct span, compiled anew for nearly
# every pair of a large corpus (re's cache holds 512), so they are checked at each find instead.
_TOKEN_BEFORE = re.compile(r"[\w.,:/@]")  # none of these just before the span
_TOKEN_AFTER = re.compile(r"[\w@]|[.,:/]\d")  # nor these just after it


def _whole_tokens(span: str, text: str) -> list[int]:
    """Where ``span`` occurs in ``text`` as a whole token, left to right and not overlapping."""
    found, start = [], text.find(span)
    while start >= 0:
        end = start + len(span)
        if not (start and _TOKEN_BEFORE.match(text, start - 1)) and not _TOKEN_AFTER.match(text, end):
            found.append(start)
            start = text.find(span, end)
        else:
            start = text.find(span, start + 1)
    return found
