"""PO and XLIFF 1.2/2.0: read as training data (with skip reasons), filled in by Translate File with the
tiny model, written back and re-read with their structure intact; bad files give one clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from translator_app.cli.main import main
from translator_app.core.catalogs import summarize, translate_catalog
from translator_app.core.types.catalogs import CatalogError, EntryState, Scope
from translator_app.core.catalogs.codes import mask, split_placeholders, text_of, unmask
from translator_app.core.types.catalogs import Code, Text
from translator_app.core.catalogs.xliff import parse_xliff, plain
from translator_app.core.readers import detect_format, preview, read_parallel
from translator_app.core.types.errors import ParallelDataError

DATA = Path(__file__).parent / "data" / "localization"
PO, PO_EN_DE = DATA / "fotos.en.po", DATA / "shop.de.po"
XLF12, XLF20 = DATA / "notizen-1.2.xlf", DATA / "reisen-2.0.xlf"


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    from translator_app.core.translator import Translator

    return Translator.load(tiny_model_dir, device="cpu", precision="fp32")


@pytest.fixture(scope="module")
def tiny_translate(tiny):
    return lambda texts: [t.text for t in tiny.translate(texts)]


# ---- training input ----------------------------------------------------------------------------


def test_po_pairs_and_skip_reasons():
    assert detect_format([PO]) == "po"
    data = read_parallel([PO])
    assert data.report.format == "po"
    assert data.report.skipped == {"untranslated": 8, "fuzzy": 1, "obsolete": 2}
    assert ("Datei", "File") in data.pairs  # msgctxt kept apart, the accelerator dropped on both sides
    assert ("%d Dateien werden importiert", "Importing %d files") in data.pairs  # plural form 1
    assert "8 untranslated, 1 fuzzy, 2 obsolete" in data.report.summary()


def test_an_english_to_german_po_is_turned_around():
    data = read_parallel([PO_EN_DE])
    assert data.pairs[:2] == [("Warenkorb", "Basket"), ("Ihre Bestellung wurde gesendet.", "Your order has been sent.")]
    assert data.report.skipped == {"untranslated": 1, "fuzzy": 1}


def test_xliff_12_and_20_pairs_states_and_inline_markup():
    assert detect_format([XLF12]) == detect_format([XLF20]) == "xliff"
    v12 = preview([XLF12], rows=10)
    assert v12.pairs == [
        ("Meine Notizen", "My notes"),
        ("Der Hund spielt mit Bällen.", "The dog plays with balls."),  # <ph>'s native code is not text
        ("Die Katze schläft auf dem Sofa.", "The cat is sleeping on the sofa."),  # <alt-trans> ignored
    ]
    assert v12.report.skipped == {"untranslated": 3, "fuzzy": 1, "not for translation": 1}
    v20 = preview([XLF20], "xliff")
    assert v20.pairs == [("Deine Reisen", "Your trips"), ("Der Zug fährt um acht Uhr ab.", "The train leaves at eight o'clock.")]
    assert v20.report.skipped == {"untranslated": 4, "not for translation": 1}  # mtc:match suggestions are not units


def test_training_data_encodes_with_the_models_vocabulary(tiny):
    from translator_app.core.batching import encode_pairs

    pairs = read_parallel([PO]).pairs + read_parallel([XLF12]).pairs + read_parallel([XLF20]).pairs
    encoded, _ = encode_pairs(tiny.vocab, pairs)
    assert len(encoded) == len(pairs) == 12


def test_cli_train_fine_tunes_on_a_po_file(tmp_path, capsys):
    data = tmp_path / "ui.po"
    shutil.copy(PO, data)
    code = main(["train", str(data), "--name", "ui", "--base", "general-lstm-de-en", "--format", "po", "--epochs", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "7 pairs kept, 11 skipped (8 untranslated, 1 fuzzy, 2 obsolete)" in captured.out + captured.err
    assert "model saved as 'ui'" in captured.out + captured.err


# ---- placeholders and markup ---------------------------------------------------------------------


def test_placeholders_survive_a_model_that_drops_or_repeats_them():
    masked = mask(split_placeholders("Das Album „%s“ hat %d Fotos ({name})."))
    assert "%" not in masked.text and "{" not in masked.text
    carriers = list(masked.carriers)
    parts, fixed = unmask(f"The album {carriers[0]} {carriers[0]} has photos.", masked)
    assert text_of(parts).count("%s") == 1 and "%d" in text_of(parts) and "{name}" in text_of(parts)
    assert fixed == 2 and text_of(parts).endswith(".")


def test_a_paired_element_the_model_reorders_becomes_an_empty_pair():
    source = [Text("Klicke "), Code('<g id="1">', "open", 1), Text("hier"), Code("</g>", "close", 1), Text(".")]
    masked = mask(source)
    first, second = masked.carriers
    good, _ = unmask(f"Click {first} here {second}.", masked)
    assert text_of(good) == 'Click <g id="1">here</g>.'
    swapped, fixed = unmask(f"Click {second} here {first}.", masked)
    assert text_of(swapped) == 'Click here <g id="1"></g>.' and fixed == 1


# ---- Translate File round trips --------------------------------------------------------------------


def test_po_round_trip_with_the_tiny_model(tiny_translate, tmp_path):
    out = tmp_path / "fotos.en.po"
    report = translate_catalog(PO, out, tiny_translate)
    assert report.filled == 8 and report.entries == 16  # 6 untranslated singulars, one plural's two forms
    before, after = polib.pofile(str(PO)), polib.pofile(str(out))
    assert after.metadata == before.metadata and after.header == before.header
    assert [(e.msgctxt, e.msgid, e.obsolete) for e in after] == [(e.msgctxt, e.msgid, e.obsolete) for e in before]
    old = {(e.msgctxt, e.msgid): e for e in before}
    for entry in after:
        was = old[(entry.msgctxt, entry.msgid)]
        assert entry.comment == was.comment and entry.occurrences == was.occurrences
        if was.translated() or was.obsolete or was.fuzzy:  # untouched, flags included
            assert (entry.msgstr, entry.msgstr_plural, entry.flags) == (was.msgstr, was.msgstr_plural, was.flags)
        else:
            assert "fuzzy" in entry.flags and [f for f in entry.flags if f != "fuzzy"] == was.flags
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            assert all(t.strip() for t in texts)
    by_id = {e.msgid: e for e in after}
    assert by_id["_Bearbeiten"].msgstr.count("_") == 1 and by_id["Ö_ffnen"].msgstr.count("_") == 1
    assert by_id["Das Album „%s“ wurde gelöscht."].msgstr.count("%s") == 1
    assert "%d" in by_id["Ein Foto"].msgstr_plural[1]
    assert "{name}" in by_id["Hallo {name}, du hast {count} neue Bilder."].msgstr
    warn = by_id["<b>Warnung:</b> Die Datei ist zu groß."].msgstr  # the tiny model may drop both tags: then appended
    assert warn.count("<b>") == warn.count("</b>") == 1 and warn.index("<b>") < warn.index("</b>")
    assert by_id[before[11].msgid].msgstr.endswith("\n")  # a msgid ending in a newline keeps it (msgfmt -c)
    again = summarize(out)
    assert again.count(EntryState.UNTRANSLATED) == 0 and again.count(EntryState.FUZZY) == 8


def test_po_all_entries_replaces_and_flags_every_one(tiny_translate, tmp_path):
    out = tmp_path / "all.po"
    report = translate_catalog(PO, out, tiny_translate, Scope.ALL)
    assert report.filled == 16  # 11 singular entries and 2 plurals of two forms; obsolete ones stay
    live = [e for e in polib.pofile(str(out)) if not e.obsolete]
    assert all("fuzzy" in e.flags for e in live)


def test_xliff_12_round_trip_keeps_every_other_byte(tiny_translate, tmp_path):
    out = tmp_path / "notizen.xlf"
    report = translate_catalog(XLF12, out, tiny_translate)
    assert report.filled == 3
    text, original = out.read_text(encoding="utf-8"), XLF12.read_text(encoding="utf-8")
    assert "<!-- Written for translator_app" in text and "<alt-trans" in text and "<note from=\"reviewer\">" in text
    changed = [(a, b) for a, b in zip(original.splitlines(), text.splitlines()) if a != b]
    assert len(text.splitlines()) == len(original.splitlines()) + 1  # one target inserted (unit 3 had none)
    assert all('state="needs-review-translation" state-qualifier="leveraged-mt"' in b for _, b in changed[:1])
    doc = parse_xliff([out.read_bytes()], out.name)
    units = {s.id: s for s in doc.segments}
    target = units["2"].target or []
    assert [p.markup for p in target if isinstance(p, Code)] == ['<g id="1" ctype="bold">', "</g>"]
    assert [p.markup for p in units["3"].target or [] if isinstance(p, Code)] == ['<x id="2" ctype="lb"/>']
    assert [p.markup for p in units["8"].target or [] if isinstance(p, Code)] == ["%s"]
    assert plain(units["7"].target or []) == "The cat is sleeping on the sofa."  # signed off: untouched
    assert summarize(out).count(EntryState.UNTRANSLATED) == 0


def test_xliff_20_round_trip_states_and_codes(tiny_translate, tmp_path):
    out = tmp_path / "reisen.xlf"
    report = translate_catalog(XLF20, out, tiny_translate)
    assert report.filled == 4
    doc = parse_xliff([out.read_bytes()], out.name)
    segments = {s.id: s for s in doc.segments}
    assert all(dict(s.holder.attrs).get("state") in ("translated", "final") for s in doc.segments if s.translate)
    assert [p.markup for p in segments["welcome"].target or [] if isinstance(p, Code)][0].startswith('<ph id="1"')
    link = [p.markup for p in segments["link"].target or [] if isinstance(p, Code)]
    assert link[0].startswith('<pc id="1"') and link[1] == "</pc>"
    assert [p.markup for p in segments["s3"].target or [] if isinstance(p, Code)] == ['<sc id="2"/>', '<ec startRef="2"/>']
    assert segments["brand"].target is None  # translate="no"
    assert "<mtc:match" in out.read_text(encoding="utf-8") and "<ignorable>" in out.read_text(encoding="utf-8")


def test_cli_fills_a_po_file(tiny_model_dir, tmp_path, capsys):
    out = tmp_path / "out.po"
    assert main(["translate", "--model", str(tiny_model_dir), "--file", str(PO), "--output", str(out)]) == 0
    assert "filled in 8 of 16 entries" in capsys.readouterr().err
    assert summarize(out).count(EntryState.UNTRANSLATED) == 0
    assert main(["translate", "--model", str(tiny_model_dir), "--file", str(PO)]) == 2  # no --output
    assert "--file needs --output" in capsys.readouterr().err


# ---- bad input -----------------------------------------------------------------------------------


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<xliff version="1.2"><file source-language="de" target-language="en"><body>
<trans-unit id="1"><source>&b;</source><target>&b;</target></trans-unit></body></file></xliff>"""
EXTERNAL = BOMB.replace(
    '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">', '<!ENTITY b SYSTEM "file:///etc/passwd">'
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.xlf", BOMB, "declares XML entities"),
        ("external.xlf", EXTERNAL, "declares XML entities"),
        ("broken.xlf", XLF12.read_text(encoding="utf-8").replace("</trans-unit>", "", 1), "not well-formed XML (line"),
        ("deep.xlf", "<xliff version='1.2'>" + "<g>" * 150 + "</g>" * 150 + "</xliff>", "nests XML elements"),
        (
            "french.xlf",
            XLF12.read_text(encoding="utf-8").replace('source-language="de-DE"', 'source-language="fr"'),
            "fr → en-US",
        ),
        ("notxliff.xlf", "<?xml version='1.0'?><tmx version='1.4'/>", "not an XLIFF file"),
        ("broken.po", 'msgid "Hallo"\nmsgstr "Hello\n\nmsgid "x"\nmsgstr ""\n', "line 2"),
        ("nolang.po", 'msgid "Hallo"\nmsgstr "Hello"\n', "no Language header"),
        (
            "latin.po",
            '"Content-Type: text/plain; charset=UTF-8\\n"\nmsgid "Grüße"\nmsgstr ""\n'.encode("latin-1"),
            "not valid UTF-8",
        ),
        ("empty.po", "", "is empty"),
    ],
)
def test_bad_files_give_one_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ParallelDataError, match=message.replace("(", r"\(")):
        read_parallel([path])


def test_translate_file_refuses_english_sources_and_writes_nothing(tmp_path):
    out = tmp_path / "shop.out.po"
    with pytest.raises(CatalogError, match="English → German.*training data"):
        translate_catalog(PO_EN_DE, out, lambda texts: texts)
    assert not out.exists()
    with pytest.raises(CatalogError, match="does not exist"):
        summarize(tmp_path / "missing.po")


def test_a_cancelled_translation_writes_nothing(tmp_path):
    class Cancelled(Exception):
        pass

    def cancel(_texts):
        raise Cancelled()

    out = tmp_path / "x.xlf"
    with pytest.raises(Cancelled):
        translate_catalog(XLF20, out, cancel)
    assert list(tmp_path.iterdir()) == []
