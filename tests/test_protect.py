"""Protected spans: numbers, amounts, dates, URLs, e-mail addresses and emoji are copied, never translated,
and restored the English way."""

import random

import pytest
import torch

from translator_app.core.protect import PLACEHOLDERS, missing_spans, protect, protect_pair, restore, scrub, split_for_budget
from translator_app.core.spans import find_spans


def test_protect_masks_numbers_urls_addresses_and_emoji():
    m = protect("Ein Hund, der 3,5 kg wiegt, läuft 12 km am 3. Oktober 2023.")
    assert m.spans == ("3.5 kg", "12 km", "October 3, 2023")  # each span carries its unit: it cannot be lost
    assert m.sources == ("3,5 kg", "12 km", "3. Oktober 2023")
    assert m.text == f"Ein Hund, der {PLACEHOLDERS[0]} wiegt, läuft {PLACEHOLDERS[1]} am {PLACEHOLDERS[2]}."
    m = protect("Schreib an info@example.org 😀 oder besuche https://example.org/a?b=1.")
    assert m.spans == ("info@example.org", "😀", "https://example.org/a?b=1")
    assert m.text.endswith(PLACEHOLDERS[2] + ".")  # the sentence's full stop is not part of the URL
    assert protect("👍🏽 und 👨‍👩‍👧").spans == ("👍🏽", "👨‍👩‍👧")  # skin tones and ZWJ families stay whole
    assert protect("Keine Zahlen hier.").spans == ()


def test_restore_puts_spans_back_and_never_loses_one():
    m = protect("Das kostet 1.299,99 € inkl. 19 % MwSt.")
    english = m.text.replace("Das kostet", "This costs")  # the abbreviations are spans too (core.abbreviations)
    assert restore(english, m.spans) == "This costs €1,299.99 incl. 19% VAT."
    # a dropped placeholder is appended before the final punctuation, unit and all; a made-up one is removed
    assert restore(f"A dog weighs{PLACEHOLDERS[5]}.", ("3.5 kg",)) == "A dog weighs 3.5 kg."
    # a stutter ("12, 12, 12") keeps each span once, and leaves no stray commas
    assert restore(f"A dog {PLACEHOLDERS[0]}, {PLACEHOLDERS[0]}, {PLACEHOLDERS[0]} km.", ("12",)) == "A dog 12 km."
    # a stray private-use character in the input cannot pose as a placeholder
    assert protect(PLACEHOLDERS[0] + " 7").spans == ("7",)


def test_protect_pair_masks_only_what_both_sides_share():
    src, tgt = protect_pair("Tom ist 30 Jahre alt und hat 3 Katzen.", "Tom is 30 years old and has 3 cats.")
    assert src == f"Tom ist {PLACEHOLDERS[0]} Jahre alt und hat {PLACEHOLDERS[1]} Katzen."
    assert tgt == f"Tom is {PLACEHOLDERS[0]} years old and has {PLACEHOLDERS[1]} cats."
    # "zwei" / "2": only one side has the span, so both stay text and the model learns the word
    assert protect_pair("Ich habe zwei Katzen.", "I have 2 cats.") == ("Ich habe zwei Katzen.", "I have 2 cats.")
    # "3" must not match inside "30"
    assert protect_pair("3 Leute, 30 Stühle", "30 chairs for 3 people") == (
        f"{PLACEHOLDERS[0]} Leute, {PLACEHOLDERS[1]} Stühle",
        f"{PLACEHOLDERS[1]} chairs for {PLACEHOLDERS[0]} people",
    )


def test_protect_pair_finds_a_span_in_any_english_form_of_its_value():
    """The target's English form is matched by value, so the model learns to copy the placeholder."""
    ph = PLACEHOLDERS
    cases = {
        ("Es kostet 3,5 Euro.", "It costs 3.5 euros."): ("Es kostet \ue000.", "It costs \ue000."),
        ("Das kostet 1.299,99 €.", "That is €1,299.99."): ("Das kostet \ue000.", "That is \ue000."),
        ("Am 3. Oktober 2023 liefen 12.000 Menschen 42,195 km.", "On 3 October 2023, 12,000 people ran 42.195 kilometres."): (
            "Am \ue000 liefen \ue001 Menschen \ue002.",
            "On \ue000, \ue001 people ran \ue002.",
        ),
        ("Die Inflation lag bei 2,4 Prozent.", "Inflation was 2.4%."): ("Die Inflation lag bei \ue000.", "Inflation was \ue000."),
        ("Der Zug fährt um 14:30 Uhr.", "The train leaves at 2.30 pm."): (
            "Der Zug fährt um \ue000.",
            "The train leaves at \ue000.",
        ),
        ("Ruf +49 30 1234567 an.", "Call +49 30 1234567."): ("Ruf \ue000 an.", "Call \ue000."),
    }
    for (source, target), expected in cases.items():
        assert protect_pair(source, target) == expected, source
    # the unit is part of the span: a target without it ("12") leaves the German "12 km" text
    assert protect_pair("Er lief 12 km.", "He ran 12.") == ("Er lief 12 km.", "He ran 12.")
    # two equal spans are two placeholders, matched in order
    assert protect_pair("5 € und 5 €", "€5 and €5") == (f"{ph[0]} und {ph[1]}", f"{ph[0]} and {ph[1]}")
    # a placeholder is numbered as at translation time: source order, whatever the target's order
    src, tgt = protect_pair("Am 1. Mai kamen 300 Leute.", "300 people came on May 1.")
    assert (src, tgt) == (f"Am {ph[0]} kamen {ph[1]} Leute.", f"{ph[1]} people came on {ph[0]}.")
    assert protect(src.replace(ph[0], "1. Mai").replace(ph[1], "300")).text == src


def test_protect_pair_masks_both_sides_alike_on_random_text():
    """Every placeholder stands once on each side, numbered as ``protect`` numbers them."""
    rng = random.Random(4)
    pieces = [
        "3",
        "30",
        "3,5",
        "3.5",
        "12:30 Uhr",
        "kg",
        " kg",
        "1.000",
        "1,000",
        "€",
        " Euro",
        "5. Mai",
        "May 5",
        "a",
        " ",
        " ",
        ".",
        ",",
        "%",
    ]
    for _ in range(3000):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        target = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        masked_source, masked_target = protect_pair(source, target)
        used = [ch for ch in masked_source if ch in PLACEHOLDERS]
        assert used == list(PLACEHOLDERS[: len(used)]), (source, target)  # numbered in source order
        assert sorted(ch for ch in masked_target if ch in PLACEHOLDERS) == used, (source, target)
        if len(used) == len(find_spans(source)):  # every span found in the target: masked as at translation time
            assert masked_source == protect(source).text, (source, target)


def test_split_for_budget_gives_every_span_a_placeholder():
    text = "Wir zählen " + ", ".join(str(n) for n in range(100, 160)) + " und 7 Hunde 8 Katzen."
    spans = [(s.start, s.end) for s in find_spans(text)]
    parts = split_for_budget(text, spans)
    assert len(parts) == 3 and " ".join(parts) == text  # cut only at spaces, nothing lost
    assert [len(protect(p).spans) for p in parts] == [24, 24, 14]
    assert all(p.endswith(",") for p in parts[:2])  # after the comma, not inside "100, 101"
    assert split_for_budget("1 2 3", [(0, 1), (2, 3), (4, 5)], budget=5) == ["1 2 3"]
    glued = "😀" * 30  # no space between the spans: cut right after the budget's last one
    assert split_for_budget(glued, [(s.start, s.end) for s in find_spans(glued)]) == ["😀" * 24, "😀" * 6]


def test_missing_spans_and_scrub():
    assert missing_spans(["3", "30", "3,5", "12"], "30 and 3,5 and 12 km") == ["3"]  # "3" is in neither
    assert missing_spans(["12", "34"], "1234", whole=False) == []  # restored placeholders side by side
    assert missing_spans(["7", "7"], "7 dogs") == ["7"]  # each as often as the source has it
    assert scrub("The \ue000-graphy \uf8ff\U000f0001 showed , x.") == "The -graphy showed, x."
    assert scrub("Nothing  to do .") == "Nothing  to do ."  # untouched without private-use characters
    assert protect("\uf8ff 7 \U0010fffd").text == f" {PLACEHOLDERS[0]} "  # none in the input either


@pytest.fixture(scope="module")
def placeholder_translator(tmp_path_factory):
    from conftest import read_multi30k

    from translator_app.core.modelfile import save_model_folder
    from translator_app.core.types.modelformat import ModelMetadata
    from translator_app.core.models import build_model, config_from_dict
    from translator_app.core.text import SubwordVocab
    from translator_app.core.translator import Translator

    pairs = read_multi30k("train", 2000)
    vocab = SubwordVocab.train([s for p in pairs for s in p], vocab_size=600, placeholders=True)
    assert vocab.has_placeholders and all(len(vocab.encode(p)) <= 2 for p in PLACEHOLDERS)
    torch.manual_seed(0)
    model = build_model(config_from_dict("lstm", {"vocab_size": len(vocab), "emb_dim": 16, "hidden_dim": 16, "num_layers": 1}))
    folder = save_model_folder(
        tmp_path_factory.mktemp("models") / "ph", model, vocab, ModelMetadata(name="ph", description="test")
    )
    return Translator.load(folder, device="cpu", precision="fp32")


def test_translation_keeps_protected_spans(placeholder_translator):
    from translator_app.core.types.options import DecodeOptions

    for text, spans in (
        ("Ein Hund, der 3,5 kg wiegt, läuft 12 km am 3. Oktober 2023.", ("3.5 kg", "12 km", "October 3, 2023")),
        ("Schreib an info@example.org 😀", ("info@example.org", "😀")),
    ):
        result = placeholder_translator.translate(text, DecodeOptions(beam_width=2, max_length=30))
        for span in spans:
            assert span in result.text
        assert not any(p in result.text for p in PLACEHOLDERS)
        tokens = result.sentences[0].source_tokens
        assert not any(p in t for t in tokens for p in PLACEHOLDERS)  # the attention view shows the spans


def test_old_vocabularies_are_not_masked(tiny_model_dir):
    from translator_app.core.translator import Translator

    translator = Translator.load(tiny_model_dir, device="cpu", precision="fp32")
    assert not translator.vocab.has_placeholders
    assert "12" in "".join(translator.translate("12").sentences[0].source_tokens)
