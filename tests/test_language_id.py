"""core.language_id: English and other languages are told from German; short or unsure input draws no warning."""

from __future__ import annotations

import pytest

from translator_app.core.language_id import CANDIDATES, NAMES, foreign_language, identify, language_note


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("What is the work of that, I don't have it?", "en"),  # the example
        ("I forgot my glasses on the train yesterday evening.", "en"),
        ("Je voudrais réserver une chambre pour deux nuits.", "fr"),
        ("Quisiera reservar una habitación para dos noches.", "es"),
    ],
)
def test_other_languages_are_named(text, code):
    guess = foreign_language(text)
    assert guess is not None and guess.code == code
    assert f"looks like {NAMES[code]}, not German" in language_note(guess)


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe meine Brille im Zug vergessen.",
        "Die Echokardiographie zeigte eine eingeschränkte linksventrikuläre Ejektionsfraktion.",
        "Das Software-Update für den Computer ist fertig.",  # loanwords
        "Hallo Tom",  # too short to judge
        "OK",
        "12345 67890",
        "",
    ],
)
def test_german_and_short_input_draw_no_warning(text):
    assert foreign_language(text) is None


def test_too_short_has_no_verdict_and_the_dict_is_plain_data():
    assert identify("Guten Morgen") is None
    guess = identify("Ein Mann fährt mit dem Fahrrad durch die Stadt.")
    assert guess is not None and guess.german and not guess.foreign
    assert guess.to_dict()["code"] == "de" and set(NAMES) == set(CANDIDATES)
