"""Fault injection: unbounded input to ``translator-app translate`` (issue 28, item 5).

Before the fix one 100 KB word on stdin peaked at 1,060 MB, 10,000 numbers at 926 MB and a 1 MB
line at 538 MB, and none printed anything within 300 s. Now a line is bounded as the readers bound
theirs, a cut is said on stderr, output is flushed line by line, and progress shows only on a
terminal. The fast cases use the tiny model; the full-size measurements run in fresh processes.
"""

from __future__ import annotations

import io
import json
import os
import threading
import time
from pathlib import Path

import pytest

from translator_app.cli.input_bounds import MAX_LINE_SUBWORDS, bound_text
from translator_app.core.readers import MAX_LINE_BYTES
from translator_app.cli.main import main
from translator_app.core.text import SubwordVocab
from translator_app.core.translator import MAX_SOURCE_SUBWORDS, Translator
from translator_app.devtools.peak_memory import peak_rss_mb

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 700  # the bound for each of the three inputs
SECONDS = 60


@pytest.fixture(scope="module")
def vocab() -> SubwordVocab:
    return SubwordVocab.from_file(ROOT / "models" / "general-lstm-de-en" / "spm.model")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(monkeypatch, args: list[str], data: bytes, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    code = main(["translate", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.fault("28.5", "a word of 100,000 characters is cut to the sentence limit, and said where")
def test_an_overlong_word_is_cut_and_said(vocab):
    text = "Ein Hund " + "a" * 100_000 + " läuft."
    bounded = bound_text(text, vocab, "line 4")
    assert bounded.text.startswith("Ein Hund a") and bounded.text.endswith(" läuft.")
    assert len(vocab.encode(bounded.text)) < MAX_SOURCE_SUBWORDS + 10 < len(text)
    assert len(bounded.notes) == 1 and "line 4" in bounded.notes[0] and "at character 10" in bounded.notes[0]
    plain = "Ein Hund läuft über die Wiese. " * 20
    assert bound_text(plain, vocab, "line 1").text == plain and bound_text(plain, vocab, "line 1").notes == ()


@pytest.mark.fault("28.5", "10,000 numbers on one line are translated up to the line limit, the rest said")
def test_a_line_is_cut_after_the_line_limit(vocab):
    text = " ".join(str(1000 + 7 * i) for i in range(10_000))
    bounded = bound_text(text, vocab, "line 2")
    assert MAX_LINE_SUBWORDS - MAX_SOURCE_SUBWORDS <= len(vocab.encode(bounded.text)) <= MAX_LINE_SUBWORDS + 100
    assert text.startswith(bounded.text) and len(bounded.text) < len(text)
    (note,) = bounded.notes
    rest = len(bounded.text) + 2  # the next word, after one space
    assert text[rest - 2] == " " and f"from character {rest:,}" in note and "line 2" in note


@pytest.mark.fault("28.5", "a stdin line over the readers' line limit is skipped unread, the lines around it kept")
def test_an_overlong_stdin_line_is_skipped_and_said(monkeypatch, tiny_model_dir):
    data = b"Ein Hund.\n" + b"Das ist ein Satz. " * (MAX_LINE_BYTES // 18 + 10) + b"\nEine Katze.\n"
    code, out, err = _run(monkeypatch, ["--model", str(tiny_model_dir)], data)
    lines = out.split("\n")
    assert code == 0 and len(lines) == 4 and lines[0] and lines[1] == "" and lines[2] and lines[3] == ""
    assert "line 2" in err and f"{MAX_LINE_BYTES:,}-byte limit" in err and "skipped" in err


@pytest.mark.fault("28.5", "text given as arguments over the line limit is refused")
def test_overlong_arguments_are_refused(monkeypatch, tiny_model_dir, capsys):
    code = main(["translate", "--model", str(tiny_model_dir), "a" * (MAX_LINE_BYTES + 1)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "" and f"{MAX_LINE_BYTES:,}-byte limit" in captured.err


@pytest.mark.fault("28.5", "stdin output streams: each line is written as soon as it is translated")
def test_output_streams_as_lines_arrive(monkeypatch, tiny_model_dir):
    read_fd, write_fd = os.pipe()
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    written: list[int] = []  # how many output lines there were before each input line was sent

    def feed() -> None:
        with open(write_fd, "wb", buffering=0) as pipe:
            for count, line in enumerate([b"Ein Hund.\n", b"Eine Katze.\n", b"Ein Mann.\n"]):
                deadline = time.monotonic() + 20
                while len(out.getvalue().splitlines()) < count and time.monotonic() < deadline:
                    time.sleep(0.01)
                written.append(len(out.getvalue().splitlines()))
                pipe.write(line)

    feeder = threading.Thread(target=feed)
    with open(read_fd, "rb") as read_end:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(read_end, encoding="utf-8"))
        feeder.start()
        code = main(["translate", "--json", "--model", str(tiny_model_dir)])
        feeder.join()
    assert code == 0 and written == [0, 1, 2] and len(out.getvalue().splitlines()) == 3
    assert json.loads(out.getvalue().splitlines()[1])["source"] == "Eine Katze."


@pytest.mark.fault("28.5", "a file on stdin is still searched in blocks, not a line at a time")
def test_a_file_is_still_translated_in_blocks(monkeypatch, tiny_model_dir):
    calls: list[int] = []
    translate = Translator.translate

    def counting(self, texts, *args, **kwargs):
        calls.append(len(texts) if isinstance(texts, list) else 1)
        return translate(self, texts, *args, **kwargs)

    monkeypatch.setattr(Translator, "translate", counting)
    code, out, _ = _run(monkeypatch, ["--model", str(tiny_model_dir)], b"Ein Hund.\n" * 200)
    assert code == 0 and len(out.splitlines()) == 200 and sum(calls) == 200 and len(calls) < 50


@pytest.mark.fault("28.5", "progress on a terminal's stderr; none with --json or when stderr is piped")
def test_progress_only_on_a_terminal(monkeypatch, tiny_model_dir):
    data = b"Ein Hund.\nEine Katze.\n"
    _, _, shown = _run(monkeypatch, ["--model", str(tiny_model_dir)], data, _Terminal())
    assert "lines" in shown
    _, _, json_err = _run(monkeypatch, ["--json", "--model", str(tiny_model_dir)], data, _Terminal())
    _, _, piped = _run(monkeypatch, ["--model", str(tiny_model_dir)], data)
    assert "lines" not in json_err and "lines" not in piped


def _measure(tmp_path: Path, data: bytes) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of ``translate --json`` on ``data`` as stdin in a fresh process."""
    src = tmp_path / "input.txt"
    src.write_bytes(data)
    code = f"""
        import sys, time
        from translator_app.cli.main import main
        sys.stdin = open({str(src)!r}, encoding="utf-8")
        start = time.perf_counter()
        assert main(["translate", "--json"]) == 0
        sys.stdout.write("\\n" + str(time.perf_counter() - start) + "\\n")
    """
    started = time.perf_counter()
    peak = peak_rss_mb(code)
    return peak, time.perf_counter() - started


@pytest.mark.slow
@pytest.mark.fault("28.5", "a 1 MB line, a 100 KB word and 10,000 numbers on stdin: peak memory and time")
@pytest.mark.parametrize("name", ["1 MB line", "100 KB word", "10,000 numbers"])
def test_full_size_inputs_finish_in_bounds(tmp_path, name):
    sentence = b"Das ist ein sehr langer Satz, der niemals endet. "
    data = {
        "1 MB line": (sentence * (2**20 // len(sentence) + 1))[: 2**20],
        "100 KB word": b"a" * 100_000,
        "10,000 numbers": " ".join(str((i * 7919) % 10_000) for i in range(10_000)).encode(),
    }[name] + b"\n"
    peak, seconds = _measure(tmp_path, data)
    print(f"{name}: {peak:.0f} MB peak, {seconds:.1f} s")
    assert peak < PEAK_MB and seconds < SECONDS
