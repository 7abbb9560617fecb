"""Tests for the parallel-data readers, on files shaped like the ones users really bring."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import corpus_files, read_multi30k

from translator_app.core.readers import ParallelData, ReadReport, TableShape, detect_format, guess_columns, preview, read_parallel
from translator_app.core.readers import FORMATS
from translator_app.core.types.errors import ParallelDataError


GERMAN = [
    "Zwei junge Männer stehen draußen im Garten.",
    "Ein Mann mit einem orangefarbenen Hut starrt auf etwas.",
    "Ein kleines Mädchen klettert in ein Spielhaus aus Holz.",
]
ENGLISH = [
    "Two young guys are outside near many bushes.",
    "A man in an orange hat starring at something.",
    "A little girl climbing into a wooden playhouse.",
]

# The first rows of the real Tatoeba/ManyThings deu.txt export: English first, then German.
TATOEBA_ROWS = [
    ("Go.", "Geh.", "#2877272 (CM) & #8597805 (Roujin)"),
    ("Hi.", "Hallo!", "#538123 (CM) & #380701 (cburgmer)"),
    ("Run!", "Lauf!", "#906328 (papabear) & #941078 (Fingerhut)"),
    ("I'm OK.", "Mir geht's gut.", "#2123609 (CK) & #2136470 (Pfirsichbaeumchen)"),
    ("I see.", "Ich verstehe.", "#1877137 (CK) & #420284 (MUIRIEL)"),
    ("I won!", "Ich hab gewonnen!", "#2005193 (CK) & #2005286 (Pfirsichbaeumchen)"),
    ("He ran.", "Er rannte.", "#2231 (CK) & #370893 (Pfirsichbaeumchen)"),
    ("I know.", "Ich weiß.", "#319990 (CK) & #327424 (Sprachprofi)"),
    ("I'm sad.", "Ich bin traurig.", "#317741 (CK) & #339003 (MUIRIEL)"),
    ("It's me.", "Ich bin es.", "#42768 (Ifat) & #374545 (Zaghawa)"),
    ("We won.", "Wir haben gewonnen.", "#2107675 (CK) & #2112283 (Pfirsichbaeumchen)"),
    ("Is it you?", "Bist du es?", "#2309226 (CK) & #2310066 (Pfirsichbaeumchen)"),
    ('He said "no".', 'Er sagte "nein".', "#1 (x) & #2 (y)"),  # bare quotes must survive
    ("You are not the one.", "Du bist es nicht.", "#3 (x) & #4 (y)"),
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def lines(items: list[str]) -> str:
    return "".join(f"{item}\n" for item in items)


def tatoeba_text() -> str:
    return "".join(f"{en}\t{de}\tCC-BY 2.0 (France) Attribution: tatoeba.org {ref}\n" for en, de, ref in TATOEBA_ROWS)


# ------------------------------------------------------------------------------------------
# Line-aligned files


def test_aligned_plain(tmp_path: Path) -> None:
    de = write(tmp_path / "train.de", lines(GERMAN))
    en = write(tmp_path / "train.en", lines(ENGLISH))
    data = read_parallel([de, en])
    assert isinstance(data, ParallelData)
    assert data.pairs == list(zip(GERMAN, ENGLISH))
    report = data.report
    assert isinstance(report, ReadReport)
    assert (report.format, report.total_rows, report.kept, report.skipped) == ("aligned", 3, 3, {})
    assert report.files == [str(de), str(en)]
    assert report.encoding == "utf-8"
    assert report.summary() == "3 pairs kept"


def test_aligned_gzip_reversed_arguments_ordered_by_suffix(tmp_path: Path) -> None:
    de = write_gz(tmp_path / "train.de.gz", lines(GERMAN))
    en = write_gz(tmp_path / "train.en.gz", lines(ENGLISH))
    data = read_parallel([en, de])
    assert data.pairs == list(zip(GERMAN, ENGLISH))
    assert data.report.files == [str(de), str(en)]
    assert detect_format([en, de]) == "aligned"


def test_gzip_detected_by_magic_bytes_not_name(tmp_path: Path) -> None:
    de = write_gz(tmp_path / "corpus_de.txt", lines(GERMAN))  # gzip content, no .gz suffix
    en = write(tmp_path / "corpus_en.txt", lines(ENGLISH))
    assert read_parallel([en, de]).pairs == list(zip(GERMAN, ENGLISH))


def test_aligned_keeps_crlf_and_unicode_line_separators_in_place(tmp_path: Path) -> None:
    # U+2028 inside a line must not split it, or every later pair would be misaligned.
    de = write(tmp_path / "a.de", "Eins\u2028zwei\r\nDrei\r\n")
    en = write(tmp_path / "a.en", "One two\r\nThree\r\n")
    assert read_parallel([de, en]).pairs == [("Eins zwei", "One two"), ("Drei", "Three")]


def test_aligned_trailing_blank_line_is_not_a_mismatch(tmp_path: Path) -> None:
    de = write(tmp_path / "x.de", lines(GERMAN) + "\n\n")
    en = write(tmp_path / "x.en", lines(ENGLISH))
    data = read_parallel([de, en])
    assert data.report.kept == 3


def test_aligned_line_count_mismatch_names_both_files(tmp_path: Path) -> None:
    de = write(tmp_path / "train.de", lines(GERMAN))
    en = write(tmp_path / "train.en", lines(ENGLISH[:2]))
    with pytest.raises(ParallelDataError) as info:
        read_parallel([de, en])
    message = str(info.value)
    assert "train.de has 3 lines but train.en has 2" in message
    assert "line-aligned" in message
    assert "\n" not in message


def test_aligned_wrong_number_of_paths(tmp_path: Path) -> None:
    de = write(tmp_path / "train.de", lines(GERMAN))
    with pytest.raises(ParallelDataError, match="exactly two files.*train.de"):
        read_parallel([de], format="aligned")
    with pytest.raises(ParallelDataError, match="3 were given"):
        read_parallel([de, de, de])
    with pytest.raises(ParallelDataError, match="no file given"):
        read_parallel([])
    tsv = write(tmp_path / "pairs.tsv", "a\tb\n")
    with pytest.raises(ParallelDataError, match="TSV is read from exactly one file, but 2 were given"):
        read_parallel([tsv, de], format="tsv")


def test_aligned_same_language_twice(tmp_path: Path) -> None:
    a = write(tmp_path / "train.de", lines(GERMAN))
    b = write(tmp_path / "val.de", lines(GERMAN))
    with pytest.raises(ParallelDataError, match="train.de and val.de both look German"):
        read_parallel([a, b])


def test_real_validation_set() -> None:
    """Multi30k val, or its bundled Tatoeba stand-in (conftest), given English file first."""
    de_file, en_file = corpus_files("val")
    expected = read_multi30k("val")
    data = read_parallel([en_file, de_file])
    assert data.report.format == "aligned"
    assert data.report.total_rows == data.report.kept == len(data.pairs) == len(expected)
    assert data.pairs[0] == expected[0]  # only the first: the reader normalizes odd spaces (a no-break space in val)
    assert data.report.summary() == f"{len(expected):,} pairs kept"


def test_real_training_set() -> None:
    de_file, en_file = corpus_files("train")
    rows = len(read_multi30k("train"))
    data = read_parallel([de_file, en_file])
    assert data.report.total_rows == rows
    assert data.report.kept + sum(data.report.skipped.values()) == rows
    assert data.report.kept > rows * 0.96


def test_large_aligned_files(tmp_path: Path) -> None:
    n = 200_000
    de = write_gz(tmp_path / "big.de.gz", "".join(f"Satz Nummer {i} ist hier.\n" for i in range(n)))
    en = write_gz(tmp_path / "big.en.gz", "".join(f"Sentence number {i} is here.\n" for i in range(n)))
    data = read_parallel([de, en])
    assert data.report.kept == n
    assert data.pairs[-1] == (f"Satz Nummer {n - 1} ist hier.", f"Sentence number {n - 1} is here.")


# ------------------------------------------------------------------------------------------
# TSV / CSV


def test_tatoeba_export_is_detected_as_english_first(tmp_path: Path) -> None:
    path = write(tmp_path / "deu.txt", tatoeba_text())
    assert detect_format([path]) == "tsv"
    data = read_parallel([path])
    assert data.report.format == "tsv"
    assert data.report.columns == (1, 0)
    assert data.pairs[0] == ("Geh.", "Go.")
    assert ("Ich weiß.", "I know.") in data.pairs
    assert ('Er sagte "nein".', 'He said "no".') in data.pairs
    assert data.report.kept == len(TATOEBA_ROWS)


def test_german_first_tsv_without_header_keeps_default_columns(tmp_path: Path) -> None:
    rows = [(de, en) for en, de, _ in TATOEBA_ROWS]
    path = write(tmp_path / "pairs.tsv", "".join(f"{de}\t{en}\n" for de, en in rows))
    data = read_parallel([path])
    assert data.report.columns == (0, 1)
    assert data.pairs[:2] == [("Geh.", "Go."), ("Hallo!", "Hi.")]


def test_tsv_with_header_de_en(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "de\ten\n" + "".join(f"{d}\t{e}\n" for d, e in zip(GERMAN, ENGLISH)))
    data = read_parallel([path])
    assert data.pairs == list(zip(GERMAN, ENGLISH))
    assert data.report.total_rows == 3  # the header is not a row


def test_tsv_header_in_english_first_order(tmp_path: Path) -> None:
    body = "".join(f"{i}\t{e}\t{d}\n" for i, (d, e) in enumerate(zip(GERMAN, ENGLISH)))
    path = write(tmp_path / "pairs.tsv", "id\ten-GB\tde_DE\n" + body)
    data = read_parallel([path])
    assert data.report.columns == (2, 1)
    assert data.pairs == list(zip(GERMAN, ENGLISH))


def test_tatoeba_pairs_with_id_columns_skip_the_ids(tmp_path: Path) -> None:
    body = "".join(f"{1000 + i}\t{en}\t{2000 + i}\t{de}\n" for i, (en, de, _) in enumerate(TATOEBA_ROWS))
    path = write(tmp_path / "pairs.tsv", body)
    data = read_parallel([path])
    assert data.report.columns == (3, 1)
    assert data.pairs[1] == ("Hallo!", "Hi.")


def test_sentence_about_languages_is_not_a_header(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "Ich bin Deutscher.\tI am German.\nGuten Tag.\tGood day.\n")
    data = read_parallel([path])
    assert data.pairs[0] == ("Ich bin Deutscher.", "I am German.")
    assert data.report.kept == 2


def test_explicit_columns_and_header_flag(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "x\ty\tz\nHello\t1\tHallo\nBye\t2\tTschüss\n")
    data = read_parallel([path], columns=(2, 0), has_header=True)
    assert data.pairs == [("Hallo", "Hello"), ("Tschüss", "Bye")]
    data = read_parallel([path], columns=(2, 0), has_header=False)
    assert data.pairs[0] == ("z", "x")
    with pytest.raises(ParallelDataError, match="must differ"):
        read_parallel([path], columns=(1, 1))


def test_csv_english_german_header_with_quoted_commas(tmp_path: Path) -> None:
    text = (
        "English,German\n"
        '"Hello, world.","Hallo, Welt."\n'
        '"Yes, I know.","Ja, ich weiß."\n'
        '"A line\nbreak, and a\ttab","Ein Zeilen\numbruch, und ein\tTab"\n'
        'Plain,Einfach\n'
    )
    path = write(tmp_path / "phrases.csv", text)
    assert detect_format([path]) == "csv"
    data = read_parallel([path])
    assert data.report.format == "csv"
    assert data.report.columns == (1, 0)
    assert data.pairs == [
        ("Hallo, Welt.", "Hello, world."),
        ("Ja, ich weiß.", "Yes, I know."),
        ("Ein Zeilen umbruch, und ein Tab", "A line break, and a tab"),
        ("Einfach", "Plain"),
    ]


def test_semicolon_csv_detected_without_suffix(tmp_path: Path) -> None:
    text = "Deutsch;Englisch\nHallo, Welt;Hello, world\nGuten Morgen;Good morning\nJa, gut;Yes, fine\n"
    path = write(tmp_path / "export.txt", text)
    assert detect_format([path]) == "csv"
    assert read_parallel([path]).pairs == [
        ("Hallo, Welt", "Hello, world"),
        ("Guten Morgen", "Good morning"),
        ("Ja, gut", "Yes, fine"),
    ]


@pytest.mark.parametrize("rows", [2_000, 40_000])
def test_csv_unclosed_quote_is_reported_with_file_name(tmp_path: Path, rows: int) -> None:
    path = write(tmp_path / "broken.csv", 'de,en\n"Hallo,Hello\n' + "x,y\n" * rows)
    with pytest.raises(ParallelDataError, match=r"^broken.csv line 2: .*probably a quote that is never closed"):
        read_parallel([path])


def test_tsv_with_one_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "only_german.tsv", lines(GERMAN))
    with pytest.raises(ParallelDataError) as info:
        read_parallel([path])
    assert str(info.value) == ("only_german.tsv has only 1 column; a TSV needs a German and an English column separated by a tab")


def test_header_without_data_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "header_only.tsv", "de\ten\n")
    with pytest.raises(ParallelDataError, match="^header_only.tsv has a header row but no data rows$"):
        read_parallel([path])


def test_classic_mac_line_endings(tmp_path: Path) -> None:
    de = tmp_path / "mac.de"
    de.write_bytes("Eins\rZwei\rDrei\r".encode())
    en = tmp_path / "mac.en"
    en.write_bytes(b"One\rTwo\rThree")
    assert read_parallel([en, de]).pairs == [("Eins", "One"), ("Zwei", "Two"), ("Drei", "Three")]


def test_single_plain_text_file_cannot_be_detected(tmp_path: Path) -> None:
    path = write(tmp_path / "train.de", lines(GERMAN))
    with pytest.raises(ParallelDataError, match="cannot tell what kind of file train.de is"):
        read_parallel([path])


def test_skip_counting(tmp_path: Path) -> None:
    rows = [
        "Hallo\tHello",
        "Hallo\tHello",  # duplicate
        "\tEmpty German",  # empty
        "Leeres Englisch\t   ",  # empty
        f"{'Sehr lang ' * 5}\tVery long",  # too long for max_chars=30
        "Nur eine Spalte",  # missing column
        "",  # blank line: not a row at all
        "Guten   Morgen\n",  # (joined below) missing column
        "Gute Nacht\tGood   night",
    ]
    path = write(tmp_path / "mixed.tsv", "\n".join(rows) + "\n")
    data = read_parallel([path], max_chars=30)
    assert data.pairs == [("Hallo", "Hello"), ("Gute Nacht", "Good night")]
    assert data.report.skipped == {"duplicate": 1, "empty": 2, "too long": 1, "missing column": 2}
    assert data.report.total_rows == 8
    assert data.report.kept == 2
    assert data.report.summary() == "2 pairs kept, 6 skipped (2 empty, 1 too long, 1 duplicate, 2 missing column)"

    no_dedupe = read_parallel([path], max_chars=30, dedupe=False)
    assert no_dedupe.report.kept == 3
    assert "duplicate" not in no_dedupe.report.skipped


def test_limit_stops_after_kept_pairs(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "".join(f"Satz {i}\tSentence {i}\n" for i in range(1000)))
    data = read_parallel([path], limit=5)
    assert data.pairs == [(f"Satz {i}", f"Sentence {i}") for i in range(5)]
    assert data.report.kept == 5
    de = write(tmp_path / "a.de", lines(GERMAN))
    en = write(tmp_path / "a.en", lines(ENGLISH))
    assert read_parallel([de, en], limit=2).pairs == list(zip(GERMAN, ENGLISH))[:2]


def test_preview_returns_first_rows_but_counts_the_whole_file(tmp_path: Path) -> None:
    body = "".join(f"Satz {i}\tSentence {i}\n" for i in range(100)) + "Satz 0\tSentence 0\n\tleer\n"
    path = write(tmp_path / "pairs.tsv", body)
    data = preview([path], rows=7)
    assert data.pairs == [(f"Satz {i}", f"Sentence {i}") for i in range(7)]
    assert data.report.kept == 100
    assert data.report.total_rows == 102
    assert data.report.skipped == {"duplicate": 1, "empty": 1}


def test_report_carries_the_table_shape_for_column_choosers(tmp_path: Path) -> None:
    """A column chooser labels its columns from the report, without reading the file again."""
    path = write(tmp_path / "h.tsv", "English\tGerman\tNote\nHello\tHallo\nBye\tTschüss\tx\ty\n")
    assert preview([path]).report.table == TableShape(("English", "German", "Note"), True, 4)
    path = write(tmp_path / "plain.tsv", "".join(f"Satz {i}\tSentence {i}\n" for i in range(300)) + "Ja\tnote\tYes\n")
    assert preview([path], columns=(0, 2)).report.table == TableShape(("Satz 0", "Sentence 0"), False, 3)
    de, en = write(tmp_path / "a.de", lines(GERMAN)), write(tmp_path / "a.en", lines(ENGLISH))
    assert preview([de, en]).report.table is None


# ------------------------------------------------------------------------------------------
# TMX

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="test" srclang="de-DE" adminlang="en" datatype="plaintext" segtype="sentence" o-tmf="x"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="de-DE"><seg>Das ist <bpt i="1">&lt;b&gt;</bpt>fett<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>This is <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="DE"><seg>Drücken Sie <ph x="1">{0}</ph> jetzt <hi type="em">sofort</hi>.</seg></tuv>
      <tuv xml:lang="EN-US"><seg>Press <ph x="1">{0}</ph> now <hi type="em">immediately</hi>.</seg></tuv>
    </tu>
    <tu tuid="3">
      <tuv xml:lang="de_DE"><seg>Nur Deutsch.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Seulement allemand.</seg></tuv>
    </tu>
    <tu tuid="4">
      <tuv lang="EN"><seg>Old style
        attribute.</seg></tuv>
      <tuv lang="de"><seg>Attribut im alten Stil.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_tmx_language_variants_inline_tags_and_missing_english(tmp_path: Path) -> None:
    path = write(tmp_path / "memory.tmx", TMX)
    assert detect_format([path]) == "tmx"
    data = read_parallel([path])
    assert data.pairs == [
        ("Das ist fett.", "This is bold."),
        ("Drücken Sie jetzt sofort.", "Press now immediately."),
        ("Attribut im alten Stil.", "Old style attribute."),
    ]
    assert data.report.format == "tmx"
    assert data.report.total_rows == 4
    assert data.report.skipped == {"missing language": 1}
    assert data.report.summary() == "3 pairs kept, 1 skipped (1 missing language)"


def test_tmx_detected_by_content_even_gzipped_and_misnamed(tmp_path: Path) -> None:
    path = write_gz(tmp_path / "download.dat", TMX)
    assert detect_format([path]) == "tmx"
    assert read_parallel([path]).report.kept == 3


def test_tmx_utf16_and_latin1_declaration(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.tmx"
    utf16.write_bytes(TMX.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    data = read_parallel([utf16])
    assert data.report.kept == 3
    assert data.report.encoding == "utf-16"
    latin1 = tmp_path / "latin1.tmx"
    latin1.write_bytes(TMX.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1"))
    data = read_parallel([latin1])
    assert data.pairs[1] == ("Drücken Sie jetzt sofort.", "Press now immediately.")
    assert data.report.encoding == "iso-8859-1"


def test_malformed_tmx_reports_line_and_column(tmp_path: Path) -> None:
    broken = TMX.replace("</seg></tuv>\n    </tu>\n    <tu tuid=\"3\">", "</seg></tuv>\n    <tu tuid=\"3\">", 1)
    path = write(tmp_path / "broken.tmx", broken)
    with pytest.raises(ParallelDataError) as info:
        read_parallel([path])
    message = str(info.value)
    assert message.startswith("broken.tmx is not well-formed XML (line ")
    assert "column" in message and "mismatched tag" in message


def test_tmx_without_translation_units(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.tmx", '<?xml version="1.0"?>\n<tmx version="1.4"><header/><body></body></tmx>\n')
    with pytest.raises(ParallelDataError, match="empty.tmx has no translation units"):
        read_parallel([path])


def test_tmx_without_german_english_pair(tmp_path: Path) -> None:
    unit = '<tu><tuv xml:lang="fr"><seg>Oui</seg></tuv><tuv xml:lang="en"><seg>Yes</seg></tuv></tu>'
    path = write(tmp_path / "fr-en.tmx", f"<tmx><body>{unit}</body></tmx>")
    expected = r"fr-en.tmx has no translation unit with both German and English \(languages found: en, fr\)"
    with pytest.raises(ParallelDataError, match=expected):
        read_parallel([path])


# ------------------------------------------------------------------------------------------
# Encodings and broken files


def test_utf8_bom_tsv(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.tsv", "de\ten\nÄpfel\tApples\n", encoding="utf-8-sig")
    data = read_parallel([path])
    assert data.pairs == [("Äpfel", "Apples")]
    assert data.report.encoding == "utf-8-sig"


def test_utf16_le_bom_tsv_and_be_aligned(tmp_path: Path) -> None:
    text = "German\tEnglish\r\nGrüße\tGreetings\r\nStraße\tStreet\r\n"
    path = write(tmp_path / "excel.tsv", text, encoding="utf-16")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    data = read_parallel([path])
    assert data.pairs == [("Grüße", "Greetings"), ("Straße", "Street")]
    assert data.report.encoding == "utf-16"

    de = tmp_path / "be.de"
    de.write_bytes(b"\xfe\xff" + lines(GERMAN).encode("utf-16-be"))
    en = write(tmp_path / "be.en", lines(ENGLISH))
    data = read_parallel([de, en])
    assert data.pairs == list(zip(GERMAN, ENGLISH))
    assert data.report.encoding == "utf-16 / utf-8"


def test_latin1_file_is_read_as_windows_1252(tmp_path: Path) -> None:
    de = write(tmp_path / "legacy.de", "Hallo\nGrüße\n", encoding="latin-1")
    en = write(tmp_path / "legacy.en", "Hello\nGreetings\n")
    data = read_parallel([de, en])
    assert data.pairs == [("Hallo", "Hello"), ("Grüße", "Greetings")]
    assert data.report.encoding == "windows-1252 / utf-8"


def test_ascii_head_then_windows_1252_is_read_as_windows_1252(tmp_path: Path) -> None:
    text = "Hallo\tHello\n" * 1000 + "Grüße\tGreetings\n"  # the first non-ASCII byte far past the sniffed head
    data = read_parallel([write(tmp_path / "late.tsv", text, encoding="cp1252")], dedupe=False)
    assert data.pairs[-1] == ("Grüße", "Greetings") and data.report.encoding == "windows-1252"


def test_mixed_encodings_are_rejected_with_line_and_offset(tmp_path: Path) -> None:
    de = tmp_path / "mixed.de"
    de.write_bytes("Grüße\n".encode() + "Grüße\n".encode("latin-1"))
    en = write(tmp_path / "mixed.en", "Greetings\nGreetings\n")
    with pytest.raises(ParallelDataError) as info:
        read_parallel([de, en])
    message = str(info.value)
    assert message.startswith("mixed.de mixes UTF-8 with another encoding")
    assert "re-save it as UTF-8" in message
    assert "0xFC at line 2, byte offset 10" in message

    de.write_bytes("Grüße\n".encode("latin-1") + "Grüße\n".encode())
    with pytest.raises(ParallelDataError, match=r"mixed.de mixes Windows-1252 with UTF-8 \(line 2 is UTF-8"):
        read_parallel([de, en])


def test_bytes_neither_utf8_nor_windows_1252_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "odd.tsv"
    path.write_bytes(b"Hallo\tHello\nTsch\x81ss\tBye\n")
    with pytest.raises(
        ParallelDataError,
        match=r"odd.tsv is neither UTF-8 nor Windows-1252 text \(byte 0x81 at line 2, "
        r"byte offset 16\)",
    ):
        read_parallel([path])


def test_utf16_without_bom_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path / "nobom.tsv", "Hallo\tHello\n", encoding="utf-16-le")
    with pytest.raises(ParallelDataError, match="nobom.tsv is not UTF-8 text.*UTF-16 without a byte-order mark"):
        read_parallel([path])


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("photo.tsv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("sheet.csv", b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        ("blob.txt", b"abc\x00\x01\x02\xff\xfe\x00\x10" * 50, "NUL bytes"),
    ],
)
def test_binary_files_are_rejected(tmp_path: Path, name: str, content: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParallelDataError) as info:
        read_parallel([path])
    assert str(info.value).startswith(f"{name} looks like a binary file, not text")
    assert what in str(info.value)


@pytest.mark.parametrize("content", ["", "   \n\n\t  \n"])
def test_empty_files(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "nothing.tsv", content)
    with pytest.raises(ParallelDataError, match="^nothing.tsv is empty$"):
        read_parallel([path])
    de = write(tmp_path / "e.de", content)
    en = write(tmp_path / "e.en", lines(ENGLISH))
    with pytest.raises(ParallelDataError, match="^e.de is empty$"):
        read_parallel([de, en])


def test_empty_gzip_file(tmp_path: Path) -> None:
    path = write_gz(tmp_path / "nothing.tsv.gz", "")
    with pytest.raises(ParallelDataError, match="nothing.tsv.gz is empty"):
        read_parallel([path])


def test_damaged_gzip(tmp_path: Path) -> None:
    good = gzip.compress(("Hallo\tHello\n" * 5000).encode())
    path = tmp_path / "cut.tsv.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ParallelDataError, match="cut.tsv.gz is a damaged gzip file"):
        read_parallel([path])


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ParallelDataError, match="nowhere.tsv does not exist"):
        read_parallel([tmp_path / "nowhere.tsv"])
    with pytest.raises(ParallelDataError, match="nowhere.de does not exist"):
        read_parallel([tmp_path / "nowhere.de", write(tmp_path / "x.en", "Hi\n")])
    folder = tmp_path / "corpus"
    folder.mkdir()
    with pytest.raises(ParallelDataError, match="corpus is a folder, not a file"):
        read_parallel([folder])


def test_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "a\tb\n")
    with pytest.raises(ParallelDataError, match="unknown format 'xlsx'; choose one of aligned, tsv, csv, tmx"):
        read_parallel([path], format="xlsx")
    assert read_parallel([path], format="TSV").pairs == [("a", "b")]


def test_single_string_path_is_one_file(tmp_path: Path) -> None:
    path = write(tmp_path / "pairs.tsv", "Hallo\tHello\n")
    assert read_parallel(str(path)).pairs == [("Hallo", "Hello")]  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# guess_columns / detect_format


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["de", "en"], (0, 1)),
        (["English", "German"], (1, 0)),
        (["en_GB", "de-DE"], (1, 0)),
        (["id", "German text", "English text"], (1, 2)),
        (["ENG", "DEU", "license"], (1, 0)),
        (["source", "target"], (0, 1)),
        (["tgt", "src"], (1, 0)),
        (["Englisch", "Deutsch"], (1, 0)),
        (["Go.", "Geh.", "CC-BY 2.0"], (0, 1)),
        (["I am German.", "Ich bin Deutscher."], (0, 1)),
        (["id", "english"], (0, 1)),
    ],
)
def test_guess_columns(row: list[str], expected: tuple[int, int]) -> None:
    assert guess_columns(row) == expected


def test_detect_format(tmp_path: Path) -> None:
    assert FORMATS == ("aligned", "tsv", "csv", "tmx", "po", "xliff")
    assert detect_format([write(tmp_path / "a.txt", "Hallo\tHello\n")]) == "tsv"
    assert detect_format([write(tmp_path / "b.csv", "Hallo\tHello\n")]) == "tsv"
    assert detect_format([write(tmp_path / "c.csv", "de,en\nHallo,Hello\n")]) == "csv"
    assert detect_format([write(tmp_path / "d.tmx", "<tmx><body/></tmx>")]) == "tmx"
    assert detect_format([write(tmp_path / "e.xml", "\ufeff  <?xml version='1.0'?><tmx/>")]) == "tmx"
    assert detect_format([tmp_path / "a.txt", tmp_path / "c.csv"]) == "aligned"
