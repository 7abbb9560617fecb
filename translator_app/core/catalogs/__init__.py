"""The files translators keep their work in: gettext PO and XLIFF 1.2 / 2.0, read and written back.

Qt-free, so the readers (training data) and File → Translate File (GUI worker and CLI) share it.
What crosses to and from the shells is ``core.types.catalogs`` (scopes, entry states, summaries,
``CatalogError``). The modules: ``codes`` (placeholders, inline markup and
keyboard accelerators, kept out of the model's way), ``po`` (gettext, through polib), ``safe_xml``
(expat with no entities, no network and a depth limit), ``xliff`` (parsing both versions),
``xliff_write`` (filling targets in by splicing the original bytes) and ``translate_file`` (the one
entry point that reads, translates and writes atomically).
"""

from translator_app.core.catalogs.translate_file import (
    PO_SUFFIXES,
    SUFFIXES,
    CatalogReport,
    check_translatable,
    default_target,
    is_catalog,
    open_catalog,
    summarize,
    translate_catalog,
)

__all__ = [
    "PO_SUFFIXES",
    "SUFFIXES",
    "CatalogReport",
    "check_translatable",
    "default_target",
    "is_catalog",
    "open_catalog",
    "summarize",
    "translate_catalog",
]
