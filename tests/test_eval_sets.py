"""The data folder's gzip splits read one way (core.readers.splits), and the evaluation sets every
shipped model is measured on written once (core.eval_sets) for the tables, the CLI and the scripts."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from translator_app.cli.main import main
from translator_app.core.credits import DOMAINS
from translator_app.core.eval_sets import EVAL_SETS, TEST_DOMAINS, EvalSet, named_test_sets
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.splits import read_lines, read_pairs, read_split, split_files


def write_split(stem: Path, german: str, english: str) -> Path:
    stem.parent.mkdir(parents=True, exist_ok=True)
    for path, text in zip(split_files(stem), (german, english)):
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    return stem


def test_a_split_is_read_aligned_by_line_and_cut_at_the_limit(tmp_path):
    stem = write_split(tmp_path / "s", "Eins\r\nZwei\u2028halb\n\nDrei\n", "One\r\nTwo\u2028and a half\n\nThree\n")
    assert read_split(stem) == (["Eins", "Zwei\u2028halb", "", "Drei"], ["One", "Two\u2028and a half", "", "Three"])
    assert read_split(stem, 2) == (["Eins", "Zwei\u2028halb"], ["One", "Two\u2028and a half"])
    assert read_lines(split_files(stem)[0], 1) == ["Eins"]
    assert read_pairs(write_split(tmp_path / "p", " Ja \nNein\n\n", "Yes\n\nEmpty\n")) == [("Ja", "Yes")]


def test_files_of_different_lengths_are_no_split(tmp_path):
    stem = write_split(tmp_path / "s", "Eins\nZwei\n", "One\n")
    with pytest.raises(ParallelDataError, match="2 German but 1 English lines"):
        read_split(stem)
    assert read_split(stem, 1) == (["Eins"], ["One"])  # the first line of each is still a pair


def test_each_measured_domain_is_a_credited_domain_with_its_own_sets():
    assert TEST_DOMAINS == ("everyday", "news", "captions") and set(TEST_DOMAINS) <= set(DOMAINS)
    assert len({s.dev for s in EVAL_SETS} | {s.test for s in EVAL_SETS}) == 2 * len(EVAL_SETS)  # never dev = test
    assert [s.title for s in EVAL_SETS] == ["Tatoeba test (2,500)", "newstest2014 (3,003)", "Multi30k test_2016_flickr (1,000)"]
    assert named_test_sets() == "Tatoeba test (everyday), newstest2014 (news) and Multi30k test_2016_flickr (captions)"


def test_an_eval_set_reads_its_dev_or_test_split_and_nothing_else(tmp_path):
    eval_set = EvalSet("everyday", "Small test", 1, "general/dev_small", "general/test_small")
    write_split(tmp_path / "general" / "dev_small", "Hallo\nTschüss\n", "Hello\nBye\n")
    write_split(tmp_path / "general" / "test_small", "Danke\n", "Thanks\n")
    assert eval_set.read("dev", data=tmp_path) == (["Hallo", "Tschüss"], ["Hello", "Bye"])
    assert eval_set.read("test", 1, data=tmp_path) == (["Danke"], ["Thanks"])
    with pytest.raises(ValueError, match="dev and test, not 'train'"):
        eval_set.read("train", data=tmp_path)


def test_the_models_command_heads_its_columns_with_the_measured_domains(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "  ".join(f"BLEU {d}" for d in TEST_DOMAINS) in out.splitlines()[0]
    assert f"BLEU: sacreBLEU (cased, detokenized) on {named_test_sets()}." in out
