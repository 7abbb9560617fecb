"""XLIFF 1.2 and 2.0 parsed into segments: source and target as text and inline codes, state, and where
each sits in the file's bytes (so ``xliff_write`` can fill a target in and change nothing else).

1.2: ``<file source-language target-language>`` / ``<trans-unit>`` / ``<source>``, ``<target state>``;
2.0: ``<xliff srcLang trgLang>`` / ``<unit>`` / ``<segment state>`` / ``<source>``, ``<target>``.
Only the source and target that belong to the unit (1.2) or segment (2.0) count: the ones inside
``<alt-trans>`` or a 2.0 module's matches are suggestions, not the translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable
from xml.parsers import expat

from translator_app.core.catalogs.codes import split_placeholders
from translator_app.core.catalogs.safe_xml import (
    MAX_XML_DEPTH,
    attributes,
    escape_text,
    get,
    local,
    new_parser,
    parse_error,
    start_tag,
)
from translator_app.core.types.catalogs import CatalogError, CatalogKind, Code, EntryState, Part, Text

PAIRED = {"g", "pc", "mrk"}  # elements whose content is text to translate; the rest are codes
UNTRANSLATED_12 = {"new", "needs-translation"}
FUZZY_12 = {"needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n", "needs-review-translation"}


@dataclass
class Tag:
    """An element's start tag as parsed: enough to write it again with an attribute changed."""

    qname: str
    attrs: list[tuple[str, str]]
    start: int  # byte offset of its "<"


@dataclass
class Segment:
    id: str
    unit: Tag  # 1.2 <trans-unit>, 2.0 <unit>
    holder: Tag  # where source and target live: the trans-unit (1.2) or the segment (2.0)
    translate: bool
    languages: Tag  # 1.2 its <file>, 2.0 the <xliff> root: where target-language/trgLang goes
    source: list[Part] = field(default_factory=list)
    source_tag: Tag | None = None
    source_close: int = -1  # the offset of the end event of <source> (or <seg-source>, after which a target goes)
    target: list[Part] | None = None
    target_tag: Tag | None = None
    target_close: int = -1

    def state(self, kind: CatalogKind) -> EntryState:
        if not self.translate:
            return EntryState.LOCKED
        if not self.target or not any(isinstance(p, Code) or p.text.strip() for p in self.target):
            return EntryState.UNTRANSLATED
        if kind is CatalogKind.XLIFF20:
            return EntryState.UNTRANSLATED if get(self.holder.attrs, "state") == "initial" else EntryState.TRANSLATED
        state = get(self.target_tag.attrs, "state") if self.target_tag else None
        if state in UNTRANSLATED_12:
            return EntryState.UNTRANSLATED
        return EntryState.FUZZY if state in FUZZY_12 else EntryState.TRANSLATED


@dataclass
class XliffFile:
    name: str
    kind: CatalogKind
    root: Tag
    files: list[Tag] = field(default_factory=list)  # 1.2 <file> elements
    segments: list[Segment] = field(default_factory=list)

    def languages(self) -> tuple[str | None, str | None]:
        """(source, target) language; 1.2 files with several <file>s must agree."""
        if self.kind is CatalogKind.XLIFF20:
            return get(self.root.attrs, "srcLang"), get(self.root.attrs, "trgLang")
        pairs = {(get(f.attrs, "source-language"), get(f.attrs, "target-language")) for f in self.files}
        sources = {s for s, _ in pairs}
        targets = {t for _, t in pairs if t}
        if len(sources) > 1 or len(targets) > 1:
            raise CatalogError(
                f"{self.name} holds <file>s in different languages ({', '.join(f'{s} → {t}' for s, t in sorted(pairs, key=str))})"
            )
        return next(iter(sources), None), next(iter(targets), None)


def plain(parts: list[Part]) -> str:
    """The words of an inline sequence: the text of paired elements kept, codes' native content not."""
    return "".join(p.text for p in parts if isinstance(p, Text))


class _Parser:
    def __init__(self, name: str, keep: bool, on_segment: Callable[[XliffFile, Segment], None] | None):
        self.name, self.keep, self.on_segment = name, keep, on_segment
        self.expat = new_parser(name)
        self.expat.StartElementHandler = self.start
        self.expat.EndElementHandler = self.end
        self.expat.CharacterDataHandler = self.chars
        self.doc: XliffFile | None = None
        self.stack: list[tuple[str, Tag, bool]] = []  # local name, tag, translate (inherited)
        self.segment: Segment | None = None
        self.unit: Tag | None = None
        self.capture: list[Part] | None = None  # the parts of the source or target being read
        self.raw: list[list[str]] = []  # markup of a code element being copied, one list per open element
        self.open_pairs: list[tuple[int, str]] = []
        self.pairs = 0

    def start(self, qname: str, flat: list[str]) -> None:
        tag = Tag(qname, attributes(flat), self.expat.CurrentByteIndex)
        name = local(qname)
        inherited = self.stack[-1][2] if self.stack else True
        translate = inherited if get(tag.attrs, "translate") is None else get(tag.attrs, "translate") != "no"
        self.stack.append((name, tag, translate))
        if len(self.stack) > MAX_XML_DEPTH:
            raise CatalogError(f"{self.name} nests XML elements more than {MAX_XML_DEPTH} deep; it is broken or not XLIFF")
        if self.doc is None:
            self._root(tag, name)
        elif self.raw:
            self.raw.append([start_tag(qname, tag.attrs)])
        elif self.capture is not None:
            if name in PAIRED:
                self.pairs += 1
                self.open_pairs.append((self.pairs, qname))
                self.capture.append(Code(start_tag(qname, tag.attrs), "open", self.pairs))
            else:
                self.raw.append([start_tag(qname, tag.attrs)])
        else:
            self._structure(tag, name, translate)

    def _root(self, tag: Tag, name: str) -> None:
        if name != "xliff":
            raise CatalogError(f"{self.name} is not an XLIFF file (its root element is <{tag.qname}>)")
        version = get(tag.attrs, "version") or ""
        namespace = get(tag.attrs, "xmlns") or ""
        kind = CatalogKind.XLIFF20 if version.startswith("2") or ":2.0" in namespace else CatalogKind.XLIFF12
        self.doc = XliffFile(self.name, kind, tag)

    def _structure(self, tag: Tag, name: str, translate: bool) -> None:
        assert self.doc is not None
        v2 = self.doc.kind is CatalogKind.XLIFF20
        parent = self.stack[-2][0] if len(self.stack) > 1 else ""
        if name == "file" and not v2:
            self.doc.files.append(tag)
        elif name == ("unit" if v2 else "trans-unit"):
            self.unit = tag
            if not v2:
                self.segment = self._new_segment(tag, tag, translate)
        elif v2 and name == "segment" and parent == "unit" and self.unit is not None:
            self.segment = self._new_segment(self.unit, tag, translate)
        elif self.segment is not None and self.stack[-2][1] is self.segment.holder:
            if name == "source":
                self.segment.source_tag, self.capture = tag, self.segment.source
            elif name == "seg-source":
                pass  # a target goes after it; its <mrk mtype="seg"> split is not used
            elif name == "target":
                self.segment.target, self.segment.target_tag = [], tag
                self.capture = self.segment.target

    def _new_segment(self, unit: Tag, holder: Tag, translate: bool) -> Segment:
        assert self.doc is not None
        languages = self.doc.files[-1] if self.doc.files else self.doc.root
        ordinal = get(holder.attrs, "id") or get(unit.attrs, "id") or str(len(self.doc.segments) + 1)
        return Segment(ordinal, unit, holder, translate, languages)

    def end(self, qname: str) -> None:
        name, tag, _ = self.stack.pop()
        if self.raw:
            markup = self.raw.pop()
            if len(markup) == 1:  # no content: write it as an empty-element tag
                markup = [markup[0][:-1] + "/>"]
            else:
                markup.append(f"</{qname}>")
            if self.raw:
                self.raw[-1].append("".join(markup))
            elif self.capture is not None:
                self.capture.append(Code("".join(markup)))
            return
        segment = self.segment
        if self.capture is not None and segment is not None:
            if tag is segment.source_tag or tag is segment.target_tag:
                self.capture = None
                self.open_pairs.clear()
                if tag is segment.source_tag:
                    segment.source_close = self.expat.CurrentByteIndex
                else:
                    segment.target_close = self.expat.CurrentByteIndex
                return
            pair, _ = self.open_pairs.pop()
            self.capture.append(Code(f"</{qname}>", "close", pair))
            return
        if segment is not None and name == "seg-source" and self.stack and self.stack[-1][1] is segment.holder:
            segment.source_close = self.expat.CurrentByteIndex
        if segment is not None and tag is segment.holder:
            self._finish(segment)

    def _finish(self, segment: Segment) -> None:
        assert self.doc is not None
        self.segment = None
        if segment.source_tag is None:
            return  # a segment without a source is not a translation
        if self.keep:
            self.doc.segments.append(segment)
        if self.on_segment is not None:
            self.on_segment(self.doc, segment)

    def chars(self, data: str) -> None:
        if self.raw:
            self.raw[-1].append(escape_text(data))
        elif self.capture is not None:
            self.capture.extend(split_placeholders(data))


def parse_xliff(
    chunks: Iterable[bytes], name: str, *, keep: bool = True, on_segment: Callable[[XliffFile, Segment], None] | None = None
) -> XliffFile:
    """Parse a file fed as byte chunks; ``keep`` holds the segments, ``on_segment`` sees each as it ends."""
    parser = _Parser(name, keep, on_segment)
    try:
        for chunk in chunks:
            parser.expat.Parse(chunk, False)
        parser.expat.Parse(b"", True)
    except expat.ExpatError as exc:
        raise parse_error(name, exc) from None
    if parser.doc is None:
        raise CatalogError(f"{name} is empty")
    return parser.doc
