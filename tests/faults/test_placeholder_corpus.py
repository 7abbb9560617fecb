"""No private-use character in any output: 10,000 generated inputs (issue 28, item 2).

Mixed scripts, emoji sequences, numbers past the placeholder budget, stray private-use characters
and random bytes, from a fixed seed. The whole corpus goes through masking and restoring, and
through the translator's own post-processing with a fake search that answers each source with a
hostile mix of its pieces, every placeholder, and the bytes that spell one (U+E000 is EE 80 80);
a smaller sample goes through the default model itself.
"""

from __future__ import annotations

import random

import pytest

from translator_app.core.glossary import Glossary, budget_parts, mask_terms
from translator_app.core.types.glossary import GlossaryEntry
from translator_app.core.types.options import DecodeOptions
from translator_app.core.protect import MAX_PLACEHOLDERS, PLACEHOLDERS, PRIVATE_USE, missing_spans
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.text import EOS_ID
from translator_app.core.translator import Translator

SEED = 28
CORPUS_SIZE = 10_000
MODEL_SAMPLE = 120
WORDS = {
    "German": "Hund Katze läuft schnell über die Straße Grüße aus Köln Echokardiographie zeigte eine".split(),
    "Cyrillic": "Привет мир как дела".split(),
    "CJK": "你好 世界 日本語 한국어".split(),
    "Arabic": "مرحبا بالعالم ٣٤".split(),
    "other scripts": "नमस्ते שלום Γειά ሰላም ສະບາຍດີ".split(),
    "spans": "42 3,5 12:30 1.000.000 info@example.org https://example.org/a?b=1 www.example.de/x".split(),
    "emoji": [
        "😀",
        "👍🏽",
        "👨\u200d👩\u200d👧\u200d👦",
        "🇩🇪",
        "🇺🇦",
        "1\ufe0f\u20e3",
        "🏳\ufe0f\u200d🌈",
        "❤\ufe0f",
        "\u200d",
        "\ufe0f",
    ],
    "private use": [*PLACEHOLDERS[:3], PLACEHOLDERS[-1], "\ue100", "\uf8ff", "\U000f0001", "\U0010fffd"],
}
GLOSSARY = Glossary((GlossaryEntry("Hund", "canine"), GlossaryEntry("Straße", "road")))


def _random_text(rng: random.Random) -> str:
    """One input: words of several scripts, spans and emoji; random bytes; or random code points."""
    kind = rng.random()
    if kind < 0.1:  # random bytes, as a careless pipe delivers them
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).decode("utf-8", errors="replace")
    if kind < 0.2:  # random code points anywhere (no surrogates)
        return "".join(
            chr(rng.choice([rng.randrange(0xD800), rng.randrange(0xE000, 0x110000)])) for _ in range(rng.randrange(1, 40))
        )
    if kind < 0.25:  # past the placeholder budget
        return "Die Nummern " + ", ".join(str(rng.randrange(10**6)) for _ in range(rng.randrange(25, 80))) + "."
    pools = list(WORDS.values())
    words = [rng.choice(rng.choice(pools)) for _ in range(rng.randrange(1, 16))]
    return "".join(w + rng.choice([" ", " ", ", ", "", ". ", "\n"]) for w in words).strip()


def corpus(size: int = CORPUS_SIZE, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    return [_random_text(rng) for _ in range(size)]


def _hostile_output(masked: str, rng: random.Random) -> str:
    """What a bad model could write: the masked source's words shuffled, placeholders dropped,
    repeated and made up, stray private-use characters, all glued anyhow."""
    pieces = masked.split() or [""]
    rng.shuffle(pieces)
    pieces = [p for p in pieces if rng.random() > 0.2]
    for _ in range(rng.randrange(6)):
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice([*PLACEHOLDERS, "\ue100", "\U000f0000", "\uf8ff"]))
    return rng.choice([" ", "", ", "]).join(pieces)


@pytest.mark.fault("28.2", "10,000 generated inputs, masked and restored around hostile outputs")
def test_no_private_use_character_survives_masking_and_restoring():
    rng = random.Random(SEED + 1)
    for text in corpus():
        glossary = GLOSSARY if rng.random() < 0.3 else None
        for part in budget_parts(text, glossary):
            mask = mask_terms(part, glossary)
            assert len(mask.masked.spans) <= MAX_PLACEHOLDERS
            assert set(PRIVATE_USE.findall(mask.masked.text)) <= set(PLACEHOLDERS[: len(mask.masked.spans)])
            restored = mask.restore(_hostile_output(mask.masked.text, rng))
            assert not PRIVATE_USE.search(restored), ascii((text, restored))
            numbers = [s for k, s in enumerate(mask.masked.spans) if k not in mask.terms]
            assert missing_spans(numbers, restored, whole=False) == [], ascii((text, restored))


@pytest.fixture(scope="module")
def default_translator() -> Translator:
    return Translator.load(device="cpu", engine="pytorch")


def test_the_corpus_is_what_it_says():
    texts = corpus()
    assert len(texts) == CORPUS_SIZE and texts == corpus()  # fixed seed: the same corpus every run
    assert sum(bool(PRIVATE_USE.search(t)) for t in texts) > 500  # it does try stray private-use characters
    assert sum("\ufffd" in t for t in texts) > 500 and sum("\u200d👩" in t for t in texts) > 100


@pytest.mark.fault("28.2", "10,000 generated inputs through the translator's post-processing (hostile fake search)")
def test_no_private_use_character_leaves_the_translator(default_translator, monkeypatch):
    vocab = default_translator.vocab
    byte_pieces = {piece: i for i, piece in enumerate(vocab.pieces(range(len(vocab)))) if piece in ("<0xEE>", "<0x80>")}
    spelled = [byte_pieces["<0xEE>"], byte_pieces["<0x80>"], byte_pieces["<0x80>"]]  # U+E000 as bytes
    rng = random.Random(SEED + 2)

    def hostile_search(sources, options):
        found = []
        for ids in sources:
            body = [i for i in ids[:-1] if rng.random() > 0.2]
            rng.shuffle(body)
            for _ in range(rng.randrange(5)):
                body.insert(rng.randrange(len(body) + 1), rng.choice(vocab.placeholder_ids))
            if rng.random() < 0.2:
                body[rng.randrange(len(body) + 1) : 0] = spelled
            token_ids = body + [EOS_ID]
            found.append([Hypothesis(token_ids, [-0.5] * len(token_ids), -0.5 * len(token_ids), -0.5)] * options.n_best)
        return found

    monkeypatch.setattr(default_translator, "_search", hostile_search)
    texts = corpus()
    options = DecodeOptions(beam_width=2, n_best=2)
    for result in default_translator.translate_sentences(texts, options):
        for h in result.hypotheses:
            assert not PRIVATE_USE.search(h.text + "".join(h.tokens)), ascii((result.source, h.text))
        assert result.lost == [], ascii((result.source, result.hypotheses[0].text))
    for translation in default_translator.translate(texts[:500], options):  # documents: sentence splitting, alternatives
        assert not PRIVATE_USE.search(translation.text + "".join(a.text for a in translation.alternatives))


@pytest.mark.fault("28.2", "120 of the generated inputs through the default model")
def test_no_private_use_character_from_the_default_model(default_translator):
    sample = corpus()[:: CORPUS_SIZE // MODEL_SAMPLE][:MODEL_SAMPLE]
    options = DecodeOptions(beam_width=2, n_best=2, max_length=60)
    for result in default_translator.translate(sample, options):
        assert not PRIVATE_USE.search(result.text + "".join(a.text for a in result.alternatives)), ascii(result.text)
        assert result.lost == [], ascii((result.source, result.text))
