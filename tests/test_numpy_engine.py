"""The NumPy engine (core.numpy_engine): token for token what PyTorch decodes in float32, through the
whole Translator (shortlist, placeholder bans, n-best, confidence, attention), chosen by "auto" for
the attention models without importing torch, and PyTorch still there as reference and fallback.
benchmarks/numpy_agreement.py runs the same comparison on 500 dev sentences and BLEU on each dev set."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from translator_app.core.types.modelformat import WEIGHTS_FILE, ModelFileError
from translator_app.core.types.options import DecodeOptions
from translator_app.core.paths import shipped_models_dir
from translator_app.core.translator import Translator
from tests.conftest import ROOT, read_multi30k

DEFAULT = "general-lstm-de-en"  # packed attention, LSTM cells, with a shortlist and placeholders
SPANS = [
    "Am 12.03.2024 kostet das Ticket 49,90 € bei www.bahn.de, schreib an info@bahn.de.",
    "Die Nummern sind 1007, 1014 und 1021.",
    "Um 7:45 Uhr fährt der Zug 3 Minuten später 🚆.",
]


def _sources(count: int) -> list[str]:
    return [de for de, _ in read_multi30k("val", count)] + SPANS


def _agree(numpy_side: Translator, torch_side: Translator, sentences: list[str], options: DecodeOptions) -> None:
    for a, b in zip(numpy_side.translate_sentences(sentences, options), torch_side.translate_sentences(sentences, options)):
        assert [h.tokens for h in a.hypotheses] == [h.tokens for h in b.hypotheses], a.source
        assert [h.text for h in a.hypotheses] == [h.text for h in b.hypotheses]
        for x, y in zip(a.hypotheses, b.hypotheses):
            assert np.allclose(x.token_log_probs, y.token_log_probs, atol=1e-4)
            assert x.score == pytest.approx(y.score, abs=1e-4) and x.truncated == y.truncated
            assert x.attention is not None and y.attention is not None
            assert np.allclose(x.attention, y.attention, atol=1e-4)
        assert a.confidence == pytest.approx(b.confidence, abs=1e-4) and a.level == b.level and a.lost == b.lost


@pytest.fixture(scope="module")
def default_pair() -> tuple[Translator, Translator]:
    return Translator.load(DEFAULT, engine="numpy"), Translator.load(DEFAULT, device="cpu", precision="fp32", engine="pytorch")


@pytest.mark.parametrize(
    "options",
    [DecodeOptions(beam_width=1), DecodeOptions(beam_width=5, length_penalty=0.6), DecodeOptions(beam_width=5, n_best=3)],
    ids=["greedy", "beam5", "nbest3"],
)
def test_default_model_agrees_with_pytorch_token_for_token(default_pair, options):
    numpy_side, torch_side = default_pair
    assert numpy_side.engine == "NumPy float32" and torch_side.engine == "PyTorch"
    _agree(numpy_side, torch_side, _sources(30), options)


def test_agreement_without_shortlist_and_without_the_ngram_ban(default_pair):
    numpy_side, torch_side = default_pair
    numpy_side.use_shortlist = torch_side.use_shortlist = False
    try:
        _agree(numpy_side, torch_side, _sources(10), DecodeOptions(beam_width=4, no_repeat_ngram_size=0, max_length=12))
    finally:
        numpy_side.use_shortlist = torch_side.use_shortlist = True


def test_unpacked_gru_attention_agrees_in_padded_batches(tiny_attention_model_dir):
    """Tutorial 3's encoder reads the padding too: a batch of mixed lengths must match PyTorch's."""
    numpy_side = Translator.load(tiny_attention_model_dir, engine="numpy")
    torch_side = Translator.load(tiny_attention_model_dir, device="cpu", precision="fp32", engine="pytorch")
    sentences = [de for de, _ in read_multi30k("val", 12)]
    _agree(numpy_side, torch_side, sentences, DecodeOptions(beam_width=1))
    _agree(numpy_side, torch_side, sentences, DecodeOptions(beam_width=3, n_best=2))


def test_auto_picks_numpy_for_attention_models_on_the_cpu_only(tiny_model_dir):
    assert Translator.load(DEFAULT).engine == "NumPy float32"
    assert Translator.load(DEFAULT, precision="bf16").engine == "PyTorch"
    assert Translator.load(DEFAULT, engine="pytorch").engine == "PyTorch"
    assert Translator.load(tiny_model_dir).engine == "PyTorch"  # the LSTM without attention
    with pytest.raises(ValueError, match="only the attention models"):
        Translator.load(tiny_model_dir, engine="numpy")
    with pytest.raises(ValueError, match="CPU only"):
        Translator.load(DEFAULT, device="cuda", engine="numpy")


def test_pytorch_reference_loads_on_demand(default_pair):
    numpy_side, _ = default_pair
    assert numpy_side.device_description().endswith("NumPy float32") and numpy_side.has_attention
    assert numpy_side.model.has_attention and numpy_side.shortlist is not None  # the PyTorch model, loaded now


def test_default_model_translates_without_importing_torch():
    code = (
        "import sys; from translator_app.core.translator import Translator; "
        "t = Translator.load(); r = t.translate('Ich habe 3 Katzen. Der Hund schläft.'); "
        "print(json.dumps([r.text, t.engine, 'torch' in sys.modules, 'thinc' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, cwd=ROOT, check=True)
    text, engine, torch_loaded, spacy_loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "3" in text and engine == "NumPy float32" and spacy_loaded and not torch_loaded


@pytest.fixture()
def model_copy(tmp_path):
    folder = tmp_path / DEFAULT
    shutil.copytree(shipped_models_dir() / DEFAULT, folder)
    return folder


def test_damaged_weights_are_refused_with_the_tensor_named(model_copy):
    tensors = load_file(str(model_copy / WEIGHTS_FILE))
    tensors["decoder.bias_hh"] = tensors["decoder.bias_hh"][:-1]
    save_file(tensors, str(model_copy / WEIGHTS_FILE))
    with pytest.raises(ModelFileError, match="decoder.bias_hh"):
        Translator.load(model_copy, engine="numpy")


def test_non_finite_weights_are_refused(model_copy):
    tensors = load_file(str(model_copy / WEIGHTS_FILE))
    tensors["attention.v.weight"][0, 0] = np.nan
    save_file(tensors, str(model_copy / WEIGHTS_FILE))
    with pytest.raises(ModelFileError, match="non-finite"):
        Translator.load(model_copy, engine="numpy")


def test_the_engine_setting_of_the_process_decides_auto(monkeypatch):
    """TRANSLATOR_APP_ENGINE: what "auto" means in a process (the window's PyTorch row in benchmarks/startup.py)."""
    monkeypatch.setenv("TRANSLATOR_APP_ENGINE", "pytorch")
    assert Translator.load(DEFAULT).engine == "PyTorch"
    assert Translator.load(DEFAULT, engine="numpy").engine == "NumPy float32"  # an explicit choice wins


def test_the_command_line_translates_without_importing_torch():
    code = "import sys; from translator_app.cli.main import main; main(['translate', 'Ein Hund läuft.']); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    lines = out.stdout.strip().splitlines()
    assert "dog" in lines[0].lower() and lines[-1] == "False"
