"""German abbreviations: one rule for where sentences end (splitter and the pane's count agree) and
the fixed English of those that have one, protected like a number."""

import pytest

from translator_app.core.abbreviations import ABBREVIATIONS, find_abbreviations
from translator_app.core.protect import protect, restore
from translator_app.core.spans import SpanKind, find_spans
from translator_app.core.text import split_sentences
from translator_app.core.sentence_count import count_sentences

SENTENCES = [
    (
        "Das kostet 1.299,99 € inkl. 19 % MwSt. Am 3. Oktober 2023 liefen 12.000 Menschen 42,195 km. Der Zug fährt um 14:30 Uhr.",
        [
            "Das kostet 1.299,99 € inkl. 19 % MwSt.",
            "Am 3. Oktober 2023 liefen 12.000 Menschen 42,195 km.",
            "Der Zug fährt um 14:30 Uhr.",
        ],
    ),
    ("Wir liefern z. B. Möbel, Lampen usw. Das ist alles.", ["Wir liefern z. B. Möbel, Lampen usw.", "Das ist alles."]),
    ("Wir liefern z.B. Möbel zzgl. Versand. Dr. Müller kommt.", ["Wir liefern z.B. Möbel zzgl. Versand.", "Dr. Müller kommt."]),
    ("Es kamen ca. 300 Leute, u. a. Prof. Schmidt.", ["Es kamen ca. 300 Leute, u. a. Prof. Schmidt."]),
    ("Zimmer Nr. 12 ist frei, d. h. Sie können einziehen.", ["Zimmer Nr. 12 ist frei, d. h. Sie können einziehen."]),
]


@pytest.mark.parametrize(("text", "sentences"), SENTENCES)
def test_splitter_and_count_agree_around_abbreviations(text, sentences):
    assert split_sentences(text) == sentences
    assert count_sentences(text) == len(sentences)


def test_spaced_and_unspaced_forms_are_one_abbreviation():
    assert [f.abbreviation.german for f in find_abbreviations("z.B. und z. B. und d.h.")] == ["z. B.", "z. B.", "d. h."]
    assert find_abbreviations("Hauptstr. und Inkl. und Dr") == []  # part of a word, other case, no period


def test_abbreviations_with_an_english_form_are_protected_spans():
    spans = find_spans("Das kostet 1.299,99 € inkl. 19 % MwSt.")
    assert [(s.kind, s.english) for s in spans] == [
        (SpanKind.MONEY, "€1,299.99"),
        (SpanKind.ABBREVIATION, "incl."),
        (SpanKind.MEASURE, "19%"),
        (SpanKind.ABBREVIATION, "VAT"),
    ]
    assert [s.source for s in spans][-1] == "MwSt"  # the full stop stays the sentence's
    assert find_spans("Es kamen ca. 300 Leute.")[0].kind is SpanKind.NUMBER  # "ca." is worded by the model


def test_a_final_abbreviation_keeps_the_sentence_full_stop():
    masked = protect("Der Preis enthält die MwSt.")
    assert masked.text.endswith(".") and "MwSt" not in masked.text
    model_output = masked.text.replace("Der Preis enthält die", "The price includes")
    assert restore(model_output, masked.spans) == "The price includes VAT."
    inside = protect("Lampen usw. kosten extra.")
    assert restore(inside.text.replace("Lampen", "Lamps").replace("kosten extra", "cost extra"), inside.spans) == (
        "Lamps etc. cost extra."
    )


def test_every_english_form_is_written_once():
    keys = [a.german.replace(" ", "") for a in ABBREVIATIONS]
    assert len(keys) == len(set(keys))
