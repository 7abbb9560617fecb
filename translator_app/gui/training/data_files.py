"""How the user names the data files: typed (paths separated by ';'), chosen in a dialog, or dropped."""

from __future__ import annotations

from pathlib import Path

PATH_SEPARATOR = " ; "
DATA_FILTER = (
    "Parallel text (*.tsv *.csv *.tmx *.po *.xlf *.xliff *.txt *.de *.en *.gz);;"
    "TSV / CSV (*.tsv *.csv *.txt *.gz);;TMX (*.tmx *.xml *.gz);;gettext PO (*.po *.gz);;"
    "XLIFF (*.xlf *.xliff *.gz);;All files (*)"
)


def split_paths(text: str) -> list[str]:
    return [p.strip().strip('"') for p in text.split(";") if p.strip()]


def dropped_paths(mime) -> list[str]:
    """The one or two local files being dragged in, else nothing (a drop of anything else is refused)."""
    if not mime.hasUrls():
        return []
    paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    return paths if 1 <= len(paths) <= 2 and all(Path(p).is_file() for p in paths) else []
