"""Protected spans: numbers, URLs, e-mail addresses and emoji are copied, never translated."""

import random
import re

import pytest
import torch

from translator_app.core.protect import PLACEHOLDERS, SPAN, missing_spans, protect, protect_pair, restore, scrub, split_for_budget


def test_protect_masks_numbers_urls_addresses_and_emoji():
    m = protect("Ein Hund, der 3,5 kg wiegt, läuft 12 km am 3. Oktober 2023.")
    assert m.spans == ("3,5", "12", "3", "2023")
    assert not any(ch.isdigit() for ch in m.text)
    m = protect("Schreib an info@example.org 😀 oder besuche https://example.org/a?b=1.")
    assert m.spans == ("info@example.org", "😀", "https://example.org/a?b=1")
    assert m.text.endswith(PLACEHOLDERS[2] + ".")  # the sentence's full stop is not part of the URL
    assert protect("👍🏽 und 👨‍👩‍👧").spans == ("👍🏽", "👨‍👩‍👧")  # skin tones and ZWJ families stay whole
    assert protect("Keine Zahlen hier.").spans == ()


def test_restore_puts_spans_back_and_never_loses_one():
    m = protect("Es kostet 3,5 Euro und 12 Cent.")
    english = m.text.replace("Es kostet", "It costs").replace("Euro und", "euros and").replace("Cent", "cents")
    assert restore(english, m.spans) == "It costs 3,5 euros and 12 cents."
    # a dropped placeholder is appended before the final punctuation; a made-up one is removed
    assert restore(f"It costs euros{PLACEHOLDERS[5]}.", ("3,5",)) == "It costs euros 3,5."
    # a stutter ("12, 12, 12") keeps each span once, and leaves no stray commas
    assert restore(f"A dog {PLACEHOLDERS[0]}, {PLACEHOLDERS[0]}, {PLACEHOLDERS[0]} km.", ("12",)) == "A dog 12 km."
    # a stray private-use character in the input cannot pose as a placeholder
    assert protect(PLACEHOLDERS[0] + " 7").spans == ("7",)


def test_protect_pair_masks_only_what_both_sides_share():
    src, tgt = protect_pair("Tom ist 30 Jahre alt und hat 3 Katzen.", "Tom is 30 years old and has 3 cats.")
    assert src == f"Tom ist {PLACEHOLDERS[0]} Jahre alt und hat {PLACEHOLDERS[1]} Katzen."
    assert tgt == f"Tom is {PLACEHOLDERS[0]} years old and has {PLACEHOLDERS[1]} cats."
    # "3,5" is written "3.5" in English: kept as text, so the model still learns numbers as words
    assert protect_pair("Es kostet 3,5 Euro.", "It costs 3.5 euros.") == ("Es kostet 3,5 Euro.", "It costs 3.5 euros.")
    # "3" must not match inside "30"
    assert protect_pair("3 Leute, 30 Euro", "30 euros for 3 people") == (
        f"{PLACEHOLDERS[0]} Leute, {PLACEHOLDERS[1]} Euro",
        f"{PLACEHOLDERS[1]} euros for {PLACEHOLDERS[0]} people",
    )


def regex_protect_pair(source: str, target: str) -> tuple[str, str]:
    """The oracle: whole-token spans as one lookaround regex per span, as the rule reads."""
    bounded = lambda span: r"(?<![\w.,:/@])" + re.escape(span) + r"(?![\w@]|[.,:/]\d)"  # noqa: E731
    shared: list[str] = []
    for match in SPAN.finditer(source):
        if match.group(0) not in shared and re.search(bounded(match.group(0)), target):
            shared.append(match.group(0))
    for index, span in sorted(enumerate(shared), key=lambda item: -len(item[1])):
        source = re.sub(bounded(span), PLACEHOLDERS[index], source)
        target = re.sub(bounded(span), PLACEHOLDERS[index], target)
    return source, target


def test_protect_pair_matches_whole_tokens_exactly_as_the_lookaround_rule():
    rng = random.Random(4)
    pieces = ["3", "30", "3,5", "3.5", "12:30", "1/2", "a", "ä", "_", "@", "x@y.de", " ", " ", ".", ",", ":", "/", "7", "0"]
    for _ in range(3000):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        target = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert protect_pair(source, target) == regex_protect_pair(source, target), (source, target)


def test_split_for_budget_gives_every_span_a_placeholder():
    text = "Wir zählen " + ", ".join(str(n) for n in range(100, 160)) + " und 7 Hunde 8 Katzen."
    spans = [m.span() for m in SPAN.finditer(text)]
    parts = split_for_budget(text, spans)
    assert len(parts) == 3 and " ".join(parts) == text  # cut only at spaces, nothing lost
    assert [len(protect(p).spans) for p in parts] == [24, 24, 14]
    assert all(p.endswith(",") for p in parts[:2])  # after the comma, not inside "100, 101"
    assert split_for_budget("1 2 3", [(0, 1), (2, 3), (4, 5)], budget=5) == ["1 2 3"]
    glued = "😀" * 30  # no space between the spans: cut right after the budget's last one
    assert split_for_budget(glued, [m.span() for m in SPAN.finditer(glued)]) == ["😀" * 24, "😀" * 6]


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

    from translator_app.core.modelfile import ModelMetadata, save_model_folder
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
    from translator_app.core.search import DecodeOptions

    for text, spans in (
        ("Ein Hund, der 3,5 kg wiegt, läuft 12 km am 3. Oktober 2023.", ("3,5", "12", "2023")),
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
