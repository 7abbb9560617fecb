"""Placeholders, inline markup and keyboard accelerators: copied into the translation, never translated.

A model never saw ``%s``, ``{name}`` or ``<g id="1">`` and would drop or garble them. So each code
becomes a *carrier*, a number that occurs nowhere else in the text (7000, 7001, ...): numbers are
what ``core.protect`` already masks as placeholders the models learnt to copy, so the carrier comes
back verbatim and in the place the model chose for it. After translating, each carrier turns back
into its code; one the model dropped is put back before the final punctuation, one it repeated
stands once. A paired XLIFF element (``<g>``, ``<pc>``, ``<mrk>``) whose opening and closing come back
in the wrong order, or not both, is kept as an empty pair where its opening was: the file keeps
every code its tools check for, at the cost of that element's formatting covering no words.

A keyboard accelerator (``_Datei``, ``&Datei``) is taken out before translating and put before the
translation's first letter: gettext and Qt need one marker, not the same letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translator_app.core.types.catalogs import Code, Part, Text

_PRINTF = r"%(?:\d+\$)?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspnSC@%]"
_PYTHON = r"%\([^()\s]+\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
_BRACE = r"\{[\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"
_DOLLAR = r"\$\{[\w.]+\}"
_TAG = r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>"  # Pango / HTML markup inside a PO string
_ENTITY = r"&(?:[A-Za-z]\w*|#\d+|#x[0-9A-Fa-f]+);"
PLACEHOLDER = re.compile(f"(?:{_PYTHON}|{_PRINTF}|{_BRACE}|{_DOLLAR}|{_TAG}|{_ENTITY})+")

_ACCELERATOR = re.compile(r"(?<![_&])([_&])(?=[^\W\d_])")
_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"(?<!\d)\d+(?!\d)")
CARRIER_BASE = 7000


def split_placeholders(text: str) -> list[Part]:
    """Plain text as text parts and code parts (adjacent codes are one code: ``%d%%``)."""
    parts: list[Part] = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > last:
            parts.append(Text(text[last : match.start()]))
        parts.append(Code(match.group(0)))
        last = match.end()
    if last < len(text):
        parts.append(Text(text[last:]))
    return parts


def find_accelerator(text: str) -> re.Match | None:
    """The one ``_`` or ``&`` before a letter, or None when there is none or more than one."""
    found = [m for m in _ACCELERATOR.finditer(text) if not re.match(_ENTITY, text[m.start() :])]
    return found[0] if len(found) == 1 else None


def strip_accelerator(text: str) -> str:
    """``_Datei öffnen`` → ``Datei öffnen``: training data learns words, not menu mnemonics."""
    match = find_accelerator(text)
    return text if match is None else text[: match.start()] + text[match.end() :]


def text_of(parts: list[Part]) -> str:
    return "".join(p.text if isinstance(p, Text) else p.markup for p in parts)


@dataclass(frozen=True)
class Masked:
    text: str  # what the model translates: codes replaced by carriers, no accelerator, stripped
    carriers: dict[str, Code]  # carrier number → its code, in source order
    glued: dict[str, tuple[bool, bool]]  # carrier → whether the code touched a letter before / after it
    accelerator: str  # "_", "&" or ""
    lead: str  # the source's leading and trailing white space, given back to the translation
    trail: str

    @property
    def has_words(self) -> bool:
        return bool(_LETTER.search(self.text))


def mask(parts: list[Part]) -> Masked:
    numbers = {int(n) for p in parts if isinstance(p, Text) for n in _NUMBER.findall(p.text)}
    codes = sum(isinstance(p, Code) for p in parts)
    base = CARRIER_BASE
    while any(base <= n < base + codes for n in numbers):
        base += 1000
    pieces: list[str] = []
    carriers: dict[str, Code] = {}
    glued: dict[str, tuple[bool, bool]] = {}
    for index, part in enumerate(parts):
        if isinstance(part, Text):
            piece = part.text
        else:
            piece = str(base + len(carriers))
            carriers[piece] = part
            glued[piece] = (_touches(parts, index - 1, -1), _touches(parts, index + 1, 0))
        if pieces and pieces[-1][-1:].isdigit() and piece[:1].isdigit():
            pieces.append(" ")  # two carriers, or a carrier and a number, must not read as one number
        pieces.append(piece)
    joined = "".join(pieces)
    accelerator = find_accelerator(joined)
    marker = ""
    if accelerator is not None:
        marker = accelerator.group(1)
        joined = joined[: accelerator.start()] + joined[accelerator.end() :]
    stripped = joined.strip()
    lead = joined[: len(joined) - len(joined.lstrip())]
    trail = joined[len(joined.rstrip()) :] if stripped else ""
    return Masked(stripped, carriers, glued, marker, lead, trail)


def _touches(parts: list[Part], index: int, end: int) -> bool:
    """Whether ``parts[index]`` is text whose character at ``end`` (0 or -1) is not white space."""
    if not 0 <= index < len(parts):
        return False
    part = parts[index]
    return isinstance(part, Text) and bool(part.text) and not part.text[end].isspace()


def unmask(translation: str, masked: Masked) -> tuple[list[Part], int]:
    """The translation with its codes back; also how many codes had to be re-attached."""
    text = translation.strip()
    if masked.accelerator and (letter := _LETTER.search(text)):
        text = text[: letter.start()] + masked.accelerator + text[letter.start() :]
    parts: list[Part] = []
    used: set[str] = set()
    last = 0
    for match in _NUMBER.finditer(text):
        number = match.group(0)
        if number not in masked.carriers:
            continue
        parts.append(Text(text[last : match.start()]))
        last = match.end()
        if number not in used:  # a repeat stands once
            used.add(number)
            parts.append(masked.carriers[number])
    parts.append(Text(text[last:]))
    missing = [code for number, code in masked.carriers.items() if number not in used]
    if missing:
        parts = _append_before_final_punctuation(parts, missing)
    parts, broken = _repair_pairs(parts)
    glue = {id(masked.carriers[n]): masked.glued[n] for n in used}
    return _tidy(_glue(parts, glue), masked.lead, masked.trail), len(missing) + broken


def _glue(parts: list[Part], glue: dict[int, tuple[bool, bool]]) -> list[Part]:
    """A code placed by the model that touched a word in the source touches it again (``„%s“``, ``<b>Fehler:</b>``)."""
    out = list(parts)
    for index, part in enumerate(out):
        before, after = glue.get(id(part), (False, False))
        if before and index > 0 and isinstance(out[index - 1], Text):
            out[index - 1] = Text(out[index - 1].text.rstrip(" "))  # type: ignore[union-attr]
        if after and index + 1 < len(out) and isinstance(out[index + 1], Text):
            out[index + 1] = Text(out[index + 1].text.lstrip(" "))  # type: ignore[union-attr]
    return out


def _append_before_final_punctuation(parts: list[Part], missing: list[Code]) -> list[Part]:
    """``unmask`` always ends ``parts`` with a text part: the codes go before its final punctuation."""
    head, last = parts[:-1], parts[-1]
    tail = last.text if isinstance(last, Text) else ""
    body = tail.rstrip()
    end = len(body.rstrip(".!?…:"))
    spacer = " " if body[:end] or head else ""
    return [*head, Text(body[:end] + spacer), *missing, Text(tail[end:])]


def _repair_pairs(parts: list[Part]) -> tuple[list[Part], int]:
    """Paired codes that are not properly nested become empty pairs where their opening is."""
    stack: list[int] = []
    broken: set[int] = set()
    opened: set[int] = set()
    for part in parts:
        if not isinstance(part, Code) or part.kind == "standalone":
            continue
        if part.kind == "open":
            stack.append(part.pair)
            opened.add(part.pair)
        elif stack and stack[-1] == part.pair:
            stack.pop()
        else:
            broken.add(part.pair)
            if part.pair in stack:
                stack.remove(part.pair)
    broken |= set(stack)
    broken |= {p.pair for p in parts if isinstance(p, Code) and p.kind == "close" and p.pair not in opened}
    if not broken:
        return parts, 0
    closes = {p.pair: p for p in parts if isinstance(p, Code) and p.kind == "close" and p.pair in broken}
    out: list[Part] = []
    for part in parts:
        if isinstance(part, Code) and part.pair in broken:
            if part.kind == "open":
                out.append(part)
                if part.pair in closes:
                    out.append(closes[part.pair])
            elif part.pair not in opened:
                out.append(part)  # no opening at all: the closing stands alone where it is
            continue
        out.append(part)
    return out, len(broken)


def _tidy(parts: list[Part], lead: str, trail: str) -> list[Part]:
    """Merge text parts, drop the doubled spaces removed carriers leave, give back outer white space."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, Text):
            if merged and isinstance(merged[-1], Text):
                merged[-1] = Text(merged[-1].text + part.text)
            elif part.text:
                merged.append(part)
        else:
            merged.append(part)
    cleaned = [Text(re.sub(r" {2,}", " ", re.sub(r" +([,.;:!?])", r"\1", p.text))) if isinstance(p, Text) else p for p in merged]
    if cleaned and isinstance(cleaned[0], Text):
        cleaned[0] = Text(cleaned[0].text.lstrip())
    if cleaned and isinstance(cleaned[-1], Text):
        cleaned[-1] = Text(cleaned[-1].text.rstrip())
    return [Text(lead), *[p for p in cleaned if not (isinstance(p, Text) and not p.text)], Text(trail)]
