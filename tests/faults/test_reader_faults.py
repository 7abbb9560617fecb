"""Fault injection: hostile and broken data files given to the parallel-data readers.

Each test reproduces one case of the fault-injection run (``scripts/fault_table.py`` prints them
all with their outcomes): one enormous line (item 5), a CSV quote that never closes (item 12), and
reader edge cases (item 14): a named pipe or a device as the data file, a classic-Mac file with a
long run without line ends, a TMX nested absurdly deep. The guarantees that already held (XML
entity attacks are refused, not expanded) are guarded here too.

Memory is measured in-process with tracemalloc for the fast cases (a 20 MB line) and as the peak
RSS of a fresh child process (``devtools.peak_memory``) for the full-size, slow ones.
"""

from __future__ import annotations

import gzip
import os
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from translator_app.core.readers import ParallelData, preview, read_parallel
from translator_app.core.types.errors import ParallelDataError
from translator_app.devtools.peak_memory import (
    MB,
    SENTENCE,
    cr_run_seconds,
    gzip_bomb_line_peak_mb,
    one_line_file_peak_mb,
    write_cr_run,
)

T = TypeVar("T")

HUGE = 20  # MB in one line for the fast cases: far over any line limit, quick to write and read
TRACED_PEAK_MB = 4  # what reading a file with one HUGE line may allocate at most
RSS_PEAK_MB = 100  # peak RSS of a child reading a 200 MB line or a 1 GB gzip line (the import alone is ~17)


def _traced(read: Callable[[], T]) -> tuple[T, float]:
    """The result of ``read()`` and the most memory (MB) Python allocated at once while it ran."""
    tracemalloc.start()
    try:
        result = read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak / MB


def _runaway(size_mb: int) -> bytes:
    return SENTENCE * (size_mb * MB // len(SENTENCE))


def _write_three_lines(path: Path, first: bytes, middle: bytes, last: bytes) -> Path:
    path.write_bytes(b"\n".join((first, middle, last)) + b"\n")
    return path


def _read_and_skip_the_middle_line(german: Path, english_path: Path) -> float:
    """Read ``german`` (short, huge, short lines) with a three-line English side: the huge line is
    skipped as too long and the others stay aligned. Returns the traced peak allocation in MB."""
    english = _write_three_lines(english_path, b"First line.", b"A long one.", b"Third line.")
    data, peak = _traced(lambda: read_parallel([german, english]))
    assert data.pairs == [("Erste Zeile.", "First line."), ("Dritte Zeile.", "Third line.")]
    assert data.report.skipped == {"too long": 1}
    return peak


# ------------------------------------------------------------------------------------------
# Item 5: memory from one line


@pytest.mark.fault(5, "a 20 MB line in a line-aligned pair")
def test_a_huge_line_is_skipped_as_too_long_without_being_held(tmp_path: Path) -> None:
    """item 5: a 20 MB line costs no more memory than a short one, and the pair after it stays aligned."""
    german = _write_three_lines(tmp_path / "train.de", b"Erste Zeile.", _runaway(HUGE), b"Dritte Zeile.")
    peak = _read_and_skip_the_middle_line(german, tmp_path / "train.en")
    assert peak < TRACED_PEAK_MB, f"reading one {HUGE} MB line allocated {peak:.1f} MB at once"


@pytest.mark.fault(5, "a line over the byte limit when no max_chars is set")
def test_a_line_over_the_byte_limit_is_too_long_even_without_max_chars(tmp_path: Path) -> None:
    """item 5: the byte limit holds when max_chars is None (evaluation reads that way); just under it is kept."""
    from translator_app.core.readers import MAX_LINE_BYTES

    fits = b"a" * (MAX_LINE_BYTES - 1)  # with its "\n", exactly the limit
    over = b"b" * MAX_LINE_BYTES
    german = _write_three_lines(tmp_path / "eval.de", fits, over, b"Kurz.")
    english = _write_three_lines(tmp_path / "eval.en", b"Fits.", b"Over.", b"Short.")
    data = read_parallel([german, english], max_chars=None, dedupe=False)
    assert data.pairs == [("a" * (MAX_LINE_BYTES - 1), "Fits."), ("Kurz.", "Short.")]
    assert data.report.skipped == {"too long": 1}


@pytest.mark.fault(5, "a gzip that expands to one 20 MB line")
def test_a_gzip_that_expands_to_a_huge_line_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """item 5: a small .gz that expands to one huge line is skipped chunk by chunk, never held."""
    german = tmp_path / "bomb.de.gz"
    member = gzip.compress(b"a" * MB)
    with open(german, "wb") as f:
        f.write(gzip.compress(b"Erste Zeile.\n"))
        for _ in range(HUGE):
            f.write(member)
        f.write(gzip.compress(b"\nDritte Zeile.\n"))
    assert german.stat().st_size < MB  # small on disk: the danger is all in the expansion
    peak = _read_and_skip_the_middle_line(german, tmp_path / "bomb.en")
    assert peak < TRACED_PEAK_MB, f"reading one {HUGE} MB gzipped line allocated {peak:.1f} MB at once"


@pytest.mark.fault(5, "a 20 MB line in a UTF-16 file")
def test_a_huge_utf16_line_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """item 5: UTF-16 goes through a text wrapper, which must be bounded by the line limit too."""
    german = tmp_path / "utf16.de"
    long_line = "Das ist ein sehr langer Satz. " * (HUGE * MB // 60)  # 2 bytes a character: HUGE MB
    german.write_bytes(f"Erste Zeile.\n{long_line}\nDritte Zeile.\n".encode("utf-16"))
    peak = _read_and_skip_the_middle_line(german, tmp_path / "utf16.en")
    assert peak < TRACED_PEAK_MB, f"reading one {HUGE} MB UTF-16 line allocated {peak:.1f} MB at once"


@pytest.mark.fault(5, "a 20 MB row in a TSV and in a CSV")
def test_a_huge_row_in_a_table_is_one_row_too_long_and_the_rest_stay_in_columns(tmp_path: Path) -> None:
    """item 5: in a TSV or CSV the huge row is skipped as too long; the rows around it keep their columns."""
    for name, sep in (("pairs.tsv", b"\t"), ("pairs.csv", b",")):
        path = tmp_path / name
        with open(path, "wb") as f:
            f.write(b"de" + sep + b"en\n" + b"Hallo" + sep + b"Hello\n")
            f.write(_runaway(HUGE).replace(b",", b" ") + sep + b"long\n")
            f.write(b"Danke" + sep + b"Thanks\n")
        data, peak = _traced(lambda path=path: read_parallel([path], max_chars=None))
        assert data.pairs == [("Hallo", "Hello"), ("Danke", "Thanks")], name
        assert data.report.skipped == {"too long": 1}, name
        assert data.report.total_rows == 3, name
        assert peak < TRACED_PEAK_MB, f"{name}: one {HUGE} MB row allocated {peak:.1f} MB at once"


@pytest.mark.fault(5, "preview of a file with a 20 MB line")
def test_preview_counts_a_huge_line_without_holding_it(tmp_path: Path) -> None:
    """item 5: the preview reads the whole file to count it, so it needs the same bound."""
    german = _write_three_lines(tmp_path / "p.de", b"Erste Zeile.", _runaway(HUGE), b"Dritte Zeile.")
    english = _write_three_lines(tmp_path / "p.en", b"First line.", b"A long one.", b"Third line.")
    data, peak = _traced(lambda: preview([german, english], rows=1))
    assert data.pairs == [("Erste Zeile.", "First line.")]
    assert data.report.summary() == "2 pairs kept, 1 skipped (1 too long)"
    assert peak < TRACED_PEAK_MB


@pytest.mark.slow
@pytest.mark.fault(5, "a 200 MB one-line file (peak RSS)")
def test_a_200_mb_one_line_file_keeps_peak_memory_small(tmp_path: Path) -> None:
    """item 5: reading a pair whose German file is one 200 MB line peaked at 3.3 GB RSS; it must stay small."""
    peak = one_line_file_peak_mb(tmp_path, 200)
    assert peak < RSS_PEAK_MB, f"peak RSS {peak:.0f} MB"


@pytest.mark.slow
@pytest.mark.fault(5, "a 1 MB gzip that expands to one 1 GB line (peak RSS)")
def test_a_gzip_line_bomb_keeps_peak_memory_small(tmp_path: Path) -> None:
    """item 5: a 1 MB .gz expanding to one 1 GB line peaked at 4.1 GB RSS; it must stay small."""
    peak = gzip_bomb_line_peak_mb(tmp_path, 1024)
    assert peak < RSS_PEAK_MB, f"peak RSS {peak:.0f} MB"


# ------------------------------------------------------------------------------------------
# Item 12: a CSV quote that never closes


def _csv(rows: int, broken: dict[int, str]) -> str:
    """A header and numbered rows "n,Satz n.,Sentence n."; ``broken`` replaces rows by line number."""
    lines = ["id,de,en"]
    for number in range(2, rows + 1):
        lines.append(broken.get(number, f"{number},Satz {number}.,Sentence {number}."))
    return "\n".join(lines) + "\n"


@pytest.mark.fault(12, "a quote that opens on line 3 of 300 and never closes")
def test_a_quote_running_to_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    """item 12: an unclosed quote used to swallow the rest of a 300-line file into one garbage pair."""
    path = tmp_path / "unclosed.csv"
    path.write_text(_csv(300, {3: '3,"Satz 3.,Sentence 3.'}), encoding="utf-8")
    with pytest.raises(ParallelDataError, match=r"^unclosed.csv line 3: .*probably a quote that is never closed"):
        read_parallel([path])
    with pytest.raises(ParallelDataError, match=r"^unclosed.csv line 3: "):
        preview([path])


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(
            {5: '5,"Satz 5.,Sentence 5.', 12: '12,"Satz, mit Komma.",Sentence 12.'},
            id="closed-by-next-quote",
            marks=pytest.mark.fault(12, "an unclosed quote closed by the next row's quoted field"),
        ),
        pytest.param(
            {5: '5,"Satz 5.,Sentence 5.', 9: '9,Zwölf Zoll: 12",Twelve inches: 12"'},
            id="closed-by-bare-quote",
            marks=pytest.mark.fault(12, "an unclosed quote closed by a bare quote before a comma"),
        ),
    ],
)
def test_a_quote_that_swallows_later_rows_is_reported(tmp_path: Path, broken: dict[int, str]) -> None:
    """item 12: a later quote "closes" the field (text right after it, or inner lines that look like
    this file's rows): the rows in between were swallowed into one pair, and must be reported."""
    path = tmp_path / "swallowed.csv"
    path.write_text(_csv(30, broken), encoding="utf-8")
    with pytest.raises(ParallelDataError, match=r"^swallowed.csv line 5: .*probably a quote that is never closed"):
        read_parallel([path])


@pytest.mark.fault("guarantee", "quoted fields with line breaks are still read")
def test_legitimate_multi_line_quoted_fields_are_still_read(tmp_path: Path) -> None:
    """item 12 (guard): real line breaks inside quotes stay fine, even in the last row without a final newline."""
    text = (
        "id,de,en\n"
        '1,"Erste Zeile\nzweite Zeile","First line\nsecond line"\n'
        '2,"Adresse:\nMusterstraße 1, Berlin\nDeutschland","Address:\n1 Sample Street, Berlin\nGermany"\n'
        '3,"Er sagte ""Hallo"", dann ging er.","He said ""hello"", then he left."\n'
        '4,Ein 12" Bildschirm,A 12" screen\n'
        '5,"Letzte\nZeile","Last\nline"'
    )
    path = tmp_path / "fine.csv"
    path.write_text(text, encoding="utf-8")
    assert read_parallel([path]).pairs == [
        ("Erste Zeile zweite Zeile", "First line second line"),
        ("Adresse: Musterstraße 1, Berlin Deutschland", "Address: 1 Sample Street, Berlin Germany"),
        ('Er sagte "Hallo", dann ging er.', 'He said "hello", then he left.'),
        ('Ein 12" Bildschirm', 'A 12" screen'),
        ("Letzte Zeile", "Last line"),
    ]


# ------------------------------------------------------------------------------------------
# Item 14: reader edge cases


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.fault(14, "a named pipe (FIFO) as the data file")
def test_a_named_pipe_is_refused_instead_of_waiting_forever(tmp_path: Path) -> None:
    """item 14: opening a FIFO blocks until someone writes to it; the reader must refuse it up front."""
    fifo = tmp_path / "pairs.tsv"
    os.mkfifo(fifo)
    link = tmp_path / "link.tsv"
    link.symlink_to(fifo)
    outcome: dict[str, BaseException | ParallelData] = {}

    def read(path: Path) -> None:
        try:
            outcome[path.name] = read_parallel([path])
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome[path.name] = exc

    for path in (fifo, link):
        worker = threading.Thread(target=read, args=(path,), daemon=True)
        worker.start()
        worker.join(timeout=5)
        if worker.is_alive():  # let the stuck reader go: open the pipe's other end and close it
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            worker.join(timeout=5)
            pytest.fail(f"reading {path.name} waited on the named pipe")
        error = outcome[path.name]
        assert isinstance(error, ParallelDataError), error
        assert str(error).startswith(f"{path.name} is not a regular file"), str(error)
        assert "named pipe" in str(error)

    real = tmp_path / "real.tsv"
    real.write_text("Hallo\tHello\n", encoding="utf-8")
    good_link = tmp_path / "good-link.tsv"
    good_link.symlink_to(real)
    assert read_parallel([good_link]).pairs == [("Hallo", "Hello")]  # a link to a real file is fine


@pytest.mark.fault(14, "a device (/dev/zero) as the data file")
def test_a_device_is_refused_as_not_a_regular_file(tmp_path: Path) -> None:
    """item 14: a device is endless or blocks; say what it is rather than sniffing its bytes."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(ParallelDataError, match=r"^zero is not a regular file \(it is a device\)"):
        read_parallel(["/dev/zero"])
    english = tmp_path / "x.en"
    english.write_text("Hello\n", encoding="utf-8")
    with pytest.raises(ParallelDataError, match=r"^zero is not a regular file"):
        read_parallel(["/dev/zero", english], "aligned")


@pytest.mark.fault(14, "a classic-Mac (CR) file with a 20 MB run without line ends")
def test_a_long_run_without_cr_line_ends_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """item 14: CR-only files were split by re-splitting an ever-growing buffer (quadratic, unbounded)."""
    german, english = write_cr_run(tmp_path, HUGE)
    data, peak = _traced(lambda: read_parallel([german, english]))
    assert data.pairs == [("Eins", "One"), ("Zwei", "Two"), ("Drei", "Three")]
    assert data.report.skipped == {"too long": 1}
    assert peak < TRACED_PEAK_MB, f"a {HUGE} MB run without CR allocated {peak:.1f} MB at once"


@pytest.mark.fault("guarantee", "classic-Mac lines split across read chunks")
def test_cr_lines_are_split_correctly_at_every_chunk_boundary(tmp_path: Path) -> None:
    """item 14 (guard): the linear CR splitter must not lose or merge lines that straddle its read chunks."""
    german_lines = [f"Satz-{i}-" + "x" * (i * 37 % 3000) for i in range(400)]  # ~600 KB: many chunks
    german = tmp_path / "mac.de"
    german.write_bytes("\r".join(german_lines).encode() + b"\r")
    english = tmp_path / "mac.en"
    english.write_bytes("\r".join(f"Sentence {i}" for i in range(400)).encode())
    data = read_parallel([german, english], max_chars=None)
    assert [de for de, _ in data.pairs] == german_lines
    assert data.report.kept == 400


@pytest.mark.slow
@pytest.mark.fault(14, "a 100 MB classic-Mac run without line ends (time)")
def test_a_100_mb_cr_run_is_read_in_linear_time(tmp_path: Path) -> None:
    """item 14: a 100 MB run without CR line ends took 73 s (quadratic); linear reading takes seconds."""
    seconds = cr_run_seconds(tmp_path, 100)
    assert seconds < 15, f"{seconds:.1f} s"


def _nested_tmx(depth: int) -> str:
    segment = "<hi>" * depth + "tief" + "</hi>" * depth
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><body>'
        f'<tu><tuv xml:lang="de"><seg>Sehr {segment}</seg></tuv><tuv xml:lang="en"><seg>Very deep</seg></tuv></tu>'
        "</body></tmx>\n"
    )


@pytest.mark.fault(14, "a TMX segment nested 100,000 levels deep")
def test_absurdly_nested_tmx_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    """item 14: 100,000 nested tags crashed text extraction with RecursionError; refuse them by name."""
    path = tmp_path / "deep.tmx"
    path.write_text(_nested_tmx(100_000), encoding="utf-8")
    with pytest.raises(ParallelDataError, match=r"^deep.tmx nests XML elements more than \d+ deep"):
        read_parallel([path])
    fine = tmp_path / "markup.tmx"
    fine.write_text(_nested_tmx(20), encoding="utf-8")
    assert read_parallel([fine]).pairs == [("Sehr tief", "Very deep")]


# ------------------------------------------------------------------------------------------
# Guarantees that already held: XML entity attacks are refused, never expanded


def _tmx_with_doctype(doctype: str, seg: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [{doctype}]>\n<tmx version="1.4"><body><tu>'
        f'<tuv xml:lang="de"><seg>{seg}</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv>'
        "</tu></body></tmx>\n"
    )


@pytest.mark.fault("guarantee", "billion laughs and quadratic entity blow-up in a TMX")
def test_entity_expansion_attacks_are_refused_quickly(tmp_path: Path) -> None:
    """item 14 (guard): nested entities (10^10 characters) or one big entity used 20,000 times are refused."""
    laughs = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 11))
    quadratic = f'<!ENTITY big "{"x" * 50_000}">'
    for name, doctype, seg in (("laughs.tmx", laughs, "&l10;"), ("quadratic.tmx", quadratic, "&big;" * 20_000)):
        path = tmp_path / name
        path.write_text(_tmx_with_doctype(doctype, seg), encoding="utf-8")
        start = time.perf_counter()
        with pytest.raises(ParallelDataError, match=rf"^{name} is not well-formed XML .*amplification"):
            read_parallel([path])
        assert time.perf_counter() - start < 5, name


@pytest.mark.fault("guarantee", "an external entity in a TMX")
def test_external_entities_are_never_read(tmp_path: Path) -> None:
    """item 14 (guard): a TMX that points an entity at a local file gets an error, never that file's text."""
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(_tmx_with_doctype(f'<!ENTITY x SYSTEM "{secret.as_uri()}">', "&x;"), encoding="utf-8")
    with pytest.raises(ParallelDataError, match=r"^xxe.tmx is not well-formed XML .*undefined entity") as info:
        read_parallel([path])
    assert "GEHEIM" not in str(info.value)
