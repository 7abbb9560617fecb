"""Fault injection: protected spans and their placeholders (issue 28, items 2, 3 and 8's emoji).

A placeholder is a private-use character that stands for one span of *this* source: none may reach
the user (item 2), search never makes one up, every span of a sentence survives however many it
has, and one that is still lost is said (item 3); an emoji is one span per symbol on screen (item 8).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from translator_app.cli.main import main
from translator_app.core import ct2_backend
from translator_app.core.modelfile import save_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import build_model
from translator_app.core.models.transformer import TransformerConfig
from translator_app.core.types.options import DecodeOptions
from translator_app.core.protect import MAX_PLACEHOLDERS, PRIVATE_USE, SPAN, protect, restore
from translator_app.core.search import search
from translator_app.core.batching import pad_batch
from translator_app.core.text import EOS_ID, SubwordVocab
from translator_app.core.translator import Translator

ROOT = Path(__file__).resolve().parents[2]
# the reproductions: the default model printed U+E000 for both
NO_SPANS = [
    "Привет 你好 Hallo مرحبا Grüße aus Köln.",
    "Die Echokardiographie zeigte eine eingeschränkte linksventrikuläre Ejektionsfraktion.",
]
GREEDY = DecodeOptions(beam_width=1, max_length=30)


@pytest.fixture(scope="module")
def default_translator() -> Translator:
    return Translator.load(device="cpu", engine="pytorch")


def _numbers(count: int) -> str:
    return "Die Nummern sind " + ", ".join(str(1000 + 7 * i) for i in range(count)) + "."


@pytest.mark.fault("28.2", "a source without spans (mixed scripts; a medical compound) on the default model")
def test_no_placeholder_reaches_the_output_of_a_source_without_spans(capsys):
    for text in NO_SPANS:
        assert main(["translate", text]) == 0
        out = capsys.readouterr().out
        assert out.strip() and not PRIVATE_USE.search(out), ascii(out)
        assert main(["translate", "--json", "--n-best", "3", text]) == 0
        record = json.loads(capsys.readouterr().out)
        assert not PRIVATE_USE.search(json.dumps(record, ensure_ascii=False))


@pytest.mark.fault("28.2", "search proposes a placeholder its source lacks (default model, shortlist on)")
def test_search_never_proposes_a_placeholder_the_source_lacks(default_translator):
    vocab = default_translator.vocab
    placeholders = set(vocab.placeholder_ids)
    sources = [vocab.encode(text) + [EOS_ID] for text in NO_SPANS]
    src, lengths = pad_batch(sources)
    model, shortlist = default_translator.model, default_translator.shortlist
    for options in (DecodeOptions(beam_width=1), DecodeOptions(beam_width=5, n_best=5)):
        unbanned = search(model, src, lengths, options, shortlist)
        assert any(placeholders & set(h.token_ids) for hyps in unbanned for h in hyps)  # what the model does unbanned
        for hyps in default_translator._search(sources, options):
            assert hyps and not any(placeholders & set(h.token_ids) for h in hyps)


def _placeholder_lover(folder: Path) -> Path:
    """A random Transformer over the shipped vocabulary whose output bias prefers placeholder 0
    above everything: a hostile model that would write U+E000 for any source."""
    vocab = SubwordVocab.from_file(ROOT / "models" / "general-transformer-de-en" / "spm.model")
    torch.manual_seed(3)
    config = TransformerConfig(
        vocab_size=len(vocab), d_model=32, num_heads=4, ff_dim=64, encoder_layers=1, decoder_layers=1, dropout=0.0
    )
    model = build_model(config).eval()
    with torch.no_grad():
        model.output_bias[vocab.placeholder_ids[0]] = 50.0
    return save_model_folder(folder, model, vocab, ModelMetadata(name=folder.name), half_precision=False)


@pytest.mark.fault("28.2", "a model that prefers a placeholder above all, on PyTorch and on CTranslate2")
@pytest.mark.parametrize("engine", ["pytorch", "ctranslate2"])
def test_a_placeholder_loving_model_never_writes_one(tmp_path, monkeypatch, engine):
    if engine == "ctranslate2" and not ct2_backend.available():
        pytest.skip("the ctranslate2 package is not installed")
    monkeypatch.setenv("TRANSLATOR_APP_CACHE_DIR", str(tmp_path / "cache"))
    translator = Translator.load(_placeholder_lover(tmp_path / "hostile"), device="cpu", precision="fp32", engine=engine)
    first = translator.vocab.placeholder_ids[0]
    source = translator.vocab.encode("Ein Hund läuft.") + [EOS_ID]
    assert all(first not in h.token_ids for h in translator._search([source], GREEDY)[0])
    plain = translator.translate("Ein Hund läuft.", GREEDY)
    assert plain.text and not PRIVATE_USE.search(plain.text + "".join(plain.sentences[0].hypotheses[0].tokens))
    # with a span, placeholder 0 is the source's own: it is allowed, and restored as the number
    spans = translator.translate("Ein Hund läuft 42 km.", GREEDY)
    assert "42" in spans.text and not PRIVATE_USE.search(spans.text)
    assert spans.lost == []


@pytest.mark.fault("28.3", "a sentence with 30 and with 500 numbers (24 placeholders)")
@pytest.mark.parametrize("count", [30, 500])
def test_every_number_of_a_long_sentence_survives(default_translator, count):
    text = _numbers(count)
    numbers = [m.group(0) for m in SPAN.finditer(text)]
    assert len(numbers) == count > MAX_PLACEHOLDERS
    result = default_translator.translate(text, default_translator.default_options())
    assert [n for n in numbers if n not in result.text] == []
    assert result.lost == [] and not PRIVATE_USE.search(result.text)


@pytest.mark.fault("28.3", "a lost number is said: stderr, --json and the window's note")
def test_a_span_that_is_still_lost_is_said(tiny_model_dir, capsys):
    # the Multi30k-style tiny model has no placeholders: nothing keeps a URL for it
    text = "Ein Hund läuft nach https://example.org/hund?x=1 und 4711."
    assert main(["translate", "--model", str(tiny_model_dir), text]) == 0
    captured = capsys.readouterr()
    assert "could not be kept in the translation" in captured.err and "https://example.org/hund?x=1" in captured.err
    assert main(["translate", "--json", "--model", str(tiny_model_dir), text]) == 0
    record = json.loads(capsys.readouterr().out)
    assert "https://example.org/hund?x=1" in record["lost"] and record["sentences"][0]["lost"] == record["lost"]

    from translator_app.gui.translate_page import lost_notice
    from translator_app.gui.translation_messages import TranslationResult

    result = TranslationResult(1, text, "A dog.", [], 1, 0.1, {}, lost=record["lost"])
    assert "https://example.org/hund?x=1" in lost_notice(result)
    assert lost_notice(TranslationResult(1, text, "A dog.", [], 1, 0.1, {})) == ""


EMOJI = {
    "family (ZWJ)": "👨\u200d👩\u200d👧\u200d👦",
    "rainbow flag (ZWJ, VS16)": "🏳\ufe0f\u200d🌈",
    "flag of Germany (regional indicators)": "🇩🇪",
    "keycap one": "1\ufe0f\u20e3",
    "keycap #": "#\ufe0f\u20e3",
    "flag of England (tags)": "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "thumbs up, skin tone": "👍🏽",
    "woman health worker (ZWJ, gender sign)": "👩\u200d⚕\ufe0f",
}


@pytest.mark.fault("28.8", "ZWJ sequences, flags and keycaps are one span each")
@pytest.mark.parametrize("name", list(EMOJI))
def test_an_emoji_is_one_span_per_symbol(name):
    emoji = EMOJI[name]
    masked = protect(f"Wir {emoji} fahren {emoji}.")
    assert masked.spans == (emoji, emoji)
    assert restore(masked.text, masked.spans) == f"Wir {emoji} fahren {emoji}."


@pytest.mark.fault("28.8", "a family emoji and a flag through the default model")
def test_emoji_sequences_come_through_the_translator_whole(default_translator):
    text = f"Wir {EMOJI['family (ZWJ)']} fahren nach {EMOJI['flag of Germany (regional indicators)']}."
    result = default_translator.translate(text, default_translator.default_options())
    assert EMOJI["family (ZWJ)"] in result.text and EMOJI["flag of Germany (regional indicators)"] in result.text
    assert result.lost == []
