"""PO and XLIFF files as training data: each translated entry is a pair; the rest are counted skips.

Skipped, by reason: "untranslated", "fuzzy" (PO's flag, XLIFF 1.2's needs-review states: nobody
vouched for them), "obsolete" (PO's #~ entries, no longer in the program) and "not for translation"
(XLIFF translate="no"). An English → German file (the usual direction of a PO file) is turned
around: its pairs are as good German → English; any other language pair is refused. A single
keyboard accelerator (``_Datei``, ``&File``) is dropped from each side; placeholders stay as they are.
"""

from __future__ import annotations

from translator_app.core.catalogs import po
from translator_app.core.catalogs.codes import strip_accelerator
from translator_app.core.types.catalogs import MAX_CATALOG_BYTES, CatalogError, Direction, EntryState, direction
from translator_app.core.catalogs.xliff import Segment, XliffFile, parse_xliff, plain
from translator_app.core.types.errors import ControlFlowSignal
from translator_app.core.readers.report import Collector
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import READ_ERRORS, Source, io_error, open_binary

_CHUNK = 1 << 16


def _add(col: Collector, source: str, target: str, state: EntryState, turned: bool) -> None:
    if state is not EntryState.TRANSLATED:
        col.skip(state.value)
        return
    source, target = strip_accelerator(source), strip_accelerator(target)
    col.add(target, source) if turned else col.add(source, target)


def read_po(src: Source, col: Collector) -> None:
    try:
        with open_binary(src.path, src.gzipped) as raw:
            data = raw.read(MAX_CATALOG_BYTES + 1)
    except READ_ERRORS as exc:
        raise io_error(src.name, src.gzipped, exc) from exc
    if len(data) > MAX_CATALOG_BYTES:
        raise ParallelDataError(f"{src.name} is over {MAX_CATALOG_BYTES / 1e6:.0f} MB; split it into smaller PO files")
    catalog, _ = po.load(src.name, data)
    source, target = po.language(catalog)
    if not target:
        raise ParallelDataError(
            f"{src.name} does not say its language (no Language header); set it to de if the msgids are English, "
            f"or en if they are German"
        )
    turned = direction(src.name, source, target) is Direction.EN_DE
    count = 0
    for entry in po.entries(catalog):
        count += 1
        for pair in po.pairs(entry):
            if col.done:
                return
            _add(col, pair.source, pair.target, pair.state, turned)
    if count == 0:
        raise ParallelDataError(f"{src.name} has no entries besides its header")


class _Enough(ControlFlowSignal):
    """Raised from the parser's callback when the collector has what it needs."""


def read_xliff(src: Source, col: Collector) -> None:
    turned: list[bool] = []
    count = 0

    def on_segment(doc: XliffFile, segment: Segment) -> None:
        nonlocal count
        if col.done:
            raise _Enough()
        if not turned:
            source, target = doc.languages()
            if not target:
                raise CatalogError(f"{src.name} does not say its target language, so its targets cannot be trusted as English")
            turned.append(direction(src.name, source, target) is Direction.EN_DE)
        count += 1
        target_parts = segment.target or []
        _add(col, plain(segment.source), plain(target_parts), segment.state(doc.kind), turned[0])

    def chunks():
        with open_binary(src.path, src.gzipped) as raw:
            while chunk := raw.read(_CHUNK):
                yield chunk

    try:
        parse_xliff(chunks(), src.name, keep=False, on_segment=on_segment)
    except _Enough:
        return
    except READ_ERRORS as exc:
        raise io_error(src.name, src.gzipped, exc) from exc
    if count == 0:
        raise ParallelDataError(f"{src.name} has no translation units with a source text; is it really an XLIFF file?")
