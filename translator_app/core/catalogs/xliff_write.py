"""Filling XLIFF targets in by splicing the original bytes: only the targets written (and the tags whose
state changes) differ, so a translator's diff shows the translations and nothing reformatted.

States written, as each version's standard defines them:
- 1.2: ``state="needs-review-translation"`` with ``state-qualifier="leveraged-mt"``: the spec's values
  for "the text needs review" and "suggested by machine translation"; ``approved="yes"`` on a
  unit whose target is replaced becomes ``"no"``.
- 2.0: the segment's ``state="translated"``: 2.0 core has no review flag, and "translated" is the
  state below "reviewed" and "final", which is what an unchecked translation is.
A file without a target language gets ``target-language="en"`` (1.2) or ``trgLang="en"`` (2.0),
which 2.0 requires once a target exists.
"""

from __future__ import annotations

import codecs
import re
from functools import partial
from pathlib import Path

from translator_app.core.catalogs.safe_xml import escape_text, get, start_tag, tag_end, with_attribute
from translator_app.core.types.catalogs import (
    CatalogError,
    CatalogKind,
    CatalogSummary,
    Code,
    Direction,
    EntryState,
    Part,
    Scope,
    Slot,
    direction,
)
from translator_app.core.catalogs.xliff import Segment, Tag, XliffFile, parse_xliff

_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


def _encoding(name: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:2] in (b"<\x00", b"\x00<"):
        raise CatalogError(f"{name} is UTF-16; translations are written into UTF-8 XLIFF files only, so re-save it as UTF-8")
    match = _DECLARED.match(data.removeprefix(codecs.BOM_UTF8))
    encoding = match.group(1).decode("ascii").lower() if match else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise CatalogError(f"{name} declares the unknown encoding {encoding!r}; re-save it as UTF-8") from None
    return encoding


def serialize(parts: list[Part]) -> str:
    return "".join(p.markup if isinstance(p, Code) else escape_text(p.text) for p in parts)


class XliffCatalog:
    """An XLIFF file in memory: what it holds, which segments to fill, and the file with them filled."""

    def __init__(self, path: Path, data: bytes):
        self.name = Path(path).name
        self.data = data
        self.encoding = _encoding(self.name, data)
        self.doc: XliffFile = parse_xliff([data], self.name)
        self.kind = self.doc.kind
        source, target = self.doc.languages()
        self.target_language = target
        self.direction = direction(self.name, source, target or "en")
        self.filled: dict[int, list[Part]] = {}

    def summary(self) -> CatalogSummary:
        states: dict[EntryState, int] = {}
        for segment in self.doc.segments:
            state = segment.state(self.kind)
            states[state] = states.get(state, 0) + 1
        return CatalogSummary(self.kind, self.direction, len(self.doc.segments), states)

    def slots(self, scope: Scope) -> list[Slot]:
        wanted = {EntryState.UNTRANSLATED} | ({EntryState.TRANSLATED, EntryState.FUZZY} if scope is Scope.ALL else set())
        return [
            Slot(list(segment.source), partial(self.filled.__setitem__, index))
            for index, segment in enumerate(self.doc.segments)
            if segment.state(self.kind) in wanted
        ]

    def render(self) -> bytes:
        if self.direction is not Direction.DE_EN:
            raise CatalogError(f"{self.name} is English → German; only German → English files can be filled in")
        edits: dict[int, tuple[int, bytes]] = {}  # start → (end, replacement)
        for index, parts in self.filled.items():
            self._fill(self.doc.segments[index], serialize(parts), edits)
        if self.filled and not self.target_language:
            if self.kind is CatalogKind.XLIFF20:
                self._retag(self.doc.root, "trgLang", "en", edits)
            for file_tag in self.doc.files:
                self._retag(file_tag, "target-language", "en", edits)
        out = self.data
        for start in sorted(edits, reverse=True):
            end, replacement = edits[start]
            out = out[:start] + replacement + out[end:]
        return out

    def _bytes(self, text: str) -> bytes:
        return text.encode(self.encoding, "xmlcharrefreplace")

    def _retag(self, tag: Tag, key: str, value: str, edits: dict[int, tuple[int, bytes]]) -> None:
        end = tag_end(self.data, tag.start)
        empty = self.data[end - 2 : end] == b"/>"
        edits[tag.start] = (end, self._bytes(start_tag(tag.qname, with_attribute(tag.attrs, key, value), empty=empty)))

    def _element_end(self, tag: Tag, close: int) -> int:
        end = tag_end(self.data, tag.start)
        return end if self.data[end - 2 : end] == b"/>" else tag_end(self.data, close)

    def _fill(self, segment: Segment, content: str, edits: dict[int, tuple[int, bytes]]) -> None:
        assert segment.source_tag is not None
        v2 = self.kind is CatalogKind.XLIFF20
        old = segment.target_tag
        attrs = list(old.attrs) if old else []
        if v2:
            self._retag(segment.holder, "state", "translated", edits)
        else:
            attrs = with_attribute(with_attribute(attrs, "state", "needs-review-translation"), "state-qualifier", "leveraged-mt")
            if get(segment.unit.attrs, "approved") == "yes":
                self._retag(segment.unit, "approved", "no", edits)
        prefix = segment.source_tag.qname.rpartition(":")[0]
        qname = f"{prefix}:target" if prefix else "target"
        element = self._bytes(f"{start_tag(qname, attrs)}{content}</{qname}>")
        if old is not None:
            edits[old.start] = (self._element_end(old, segment.target_close), element)
            return
        close = segment.source_close
        after = (
            tag_end(self.data, close) if self.data[close : close + 2] == b"</" else self._element_end(segment.source_tag, close)
        )
        line = self.data.rfind(b"\n", 0, segment.source_tag.start) + 1
        indent = self.data[line : segment.source_tag.start]
        lead = b"\n" + indent if line and not indent.strip() else b""
        edits[after] = (after, lead + element)
