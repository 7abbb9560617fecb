"""Spans that are copied, not translated: numbers, URLs, e-mail addresses, emoji.

A model that sees "3,5" or "info@example.org" as subwords may translate, round or drop them. So
before encoding, each such span is replaced by a placeholder, one private-use character per span
in order of appearance (U+E000, U+E001, ...), which the vocabulary holds as an unbreakable
user-defined piece; after decoding, each placeholder is replaced by its span again. The models
learn to copy placeholders because their training pairs are masked the same way wherever a span
occurs on both sides (``protect_pair``). A vocabulary without these pieces (the older Multi30k
models) simply gets its text unmasked: ``SubwordVocab.has_placeholders`` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PLACEHOLDERS = 24
PLACEHOLDERS = tuple(chr(0xE000 + i) for i in range(MAX_PLACEHOLDERS))
_PLACEHOLDER = re.compile("[" + PLACEHOLDERS[0] + "-" + PLACEHOLDERS[-1] + "]")

_URL = r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]}'»“”]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
_NUMBER = r"\d+(?:[.,:/]\d+)*"
# An emoji is one span per grapheme cluster (one symbol on screen), so a family stays one family
# and a flag one flag: a flag is two regional indicators, a keycap a digit, # or * with U+20E3, a
# subdivision flag a black flag with tag characters, and any pictograph may carry skin-tone and
# variation modifiers and be joined to the next by ZWJ (U+200D).
_EMOJI_CHAR = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]"
_EMOJI_MODIFIERS = "[\ufe0f\U0001f3fb-\U0001f3ff]*"
_FLAG = "[\U0001f1e6-\U0001f1ff]{2}"
_KEYCAP = "[0-9#*]\ufe0f?\u20e3"
_TAG_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
_EMOJI_ELEMENT = f"(?:{_FLAG}|{_TAG_FLAG}|{_EMOJI_CHAR}{_EMOJI_MODIFIERS})"
_EMOJI = f"{_KEYCAP}|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"
SPAN = re.compile(f"{_URL}|{_EMAIL}|{_EMOJI}|{_NUMBER}")
# Every private-use character (the BMP's area and planes 15-16): the placeholders are some, and
# none of them is text a reader could see, so none may reach the output.
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


@dataclass(frozen=True)
class Masked:
    text: str  # the text with each span replaced by its placeholder
    spans: tuple[str, ...]  # spans[i] is what PLACEHOLDERS[i] stands for


def protect(text: str) -> Masked:
    """Mask every protected span (up to MAX_PLACEHOLDERS; later ones stay text: ``split_for_budget``
    cuts a longer sentence first)."""
    text = PRIVATE_USE.sub("", text)  # a stray private-use character must not pose as a span, nor be copied
    spans: list[str] = []

    def mask(match: re.Match) -> str:
        if len(spans) >= MAX_PLACEHOLDERS:
            return match.group(0)
        spans.append(match.group(0))
        return PLACEHOLDERS[len(spans) - 1]

    return Masked(SPAN.sub(mask, text), tuple(spans))


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
    """A training pair with the spans that occur on both sides masked alike.

    A span found only on one side ("zwei" / "2", "3,5" / "3.5") stays text, so the model still
    learns those as words; placeholders are numbered in source order, as at translation time.
    """
    source = _PLACEHOLDER.sub("", source)
    target = _PLACEHOLDER.sub("", target)
    shared: list[str] = []
    for match in SPAN.finditer(source):
        span = match.group(0)
        if span not in shared and len(shared) < MAX_PLACEHOLDERS and _whole_tokens(span, target):
            shared.append(span)
    if not shared:
        return source, target
    for index, span in sorted(enumerate(shared), key=lambda item: -len(item[1])):  # "12" before "1"
        source = _replace_whole(span, PLACEHOLDERS[index], source)
        target = _replace_whole(span, PLACEHOLDERS[index], target)
    return source, target


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


def _replace_whole(span: str, placeholder: str, text: str) -> str:
    """``text`` with every whole-token occurrence of ``span`` replaced by ``placeholder``."""
    pieces, last = [], 0
    for start in _whole_tokens(span, text):
        pieces += [text[last:start], placeholder]
        last = start + len(span)
    return "".join(pieces) + text[last:]
