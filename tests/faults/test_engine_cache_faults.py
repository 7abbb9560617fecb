"""Fault injection: the CTranslate2 conversion cache (issue 28, item 4).

Whatever is in the cache, a model decodes with its own weights: a conversion that does not verify
against its manifest and the weights' hash is made again once, atomically, and never decoded with;
if that fails too, PyTorch decodes, after one line that says so. No cache content gives a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest
import torch

from translator_app.core import ct2_backend, ct2_cache
from translator_app.core.modelfile import save_model_folder
from translator_app.core.types.modelformat import WEIGHTS_FILE, ModelMetadata
from translator_app.core.models import build_model
from translator_app.core.models.transformer import TransformerConfig
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import SubwordVocab
from translator_app.core.translator import Translator

pytestmark = pytest.mark.skipif(not ct2_backend.available(), reason="the ctranslate2 package is not installed")
ROOT = Path(__file__).resolve().parents[2]
TEXT = "Ein Mann fährt mit dem Fahrrad durch die Stadt."
GREEDY = DecodeOptions(beam_width=1, max_length=20)


def _transformer(folder: Path, seed: int) -> Path:
    """A random Transformer over the shipped vocabulary (sharp logits, so ties never decide)."""
    vocab = SubwordVocab.from_file(ROOT / "models" / "general-transformer-de-en" / "spm.model")
    torch.manual_seed(seed)
    config = TransformerConfig(
        vocab_size=len(vocab), d_model=32, num_heads=4, ff_dim=64, encoder_layers=1, decoder_layers=1, dropout=0.0
    )
    model = build_model(config).eval()
    with torch.no_grad():
        model.embedding.weight.mul_(8.0)
    return save_model_folder(folder, model, vocab, ModelMetadata(name=folder.name), half_precision=False)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("models")
    return _transformer(root / "model-a", 1), _transformer(root / "model-b", 2)


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TRANSLATOR_APP_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "engines"


def _ct2(model: Path) -> Path:
    return ct2_backend.engine_folder(model, model / WEIGHTS_FILE) / ct2_backend.CT2_DIR


def _reference(model: Path) -> str:
    return Translator.load(model, device="cpu", precision="fp32", engine="pytorch").translate(TEXT, GREEDY).text


def _flip(ct2: Path) -> None:
    data = bytearray((ct2 / "model.bin").read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 2000):
        data[i] ^= 0xFF
    (ct2 / "model.bin").write_bytes(bytes(data))


def _truncate(ct2: Path) -> None:
    with open(ct2 / "model.bin", "r+b") as handle:
        handle.truncate(os.path.getsize(ct2 / "model.bin") // 2)


def _vocabulary(ct2: Path) -> None:
    for path in ct2.glob("*vocabulary*"):
        pieces = json.loads(path.read_text(encoding="utf-8"))
        pieces[100], pieces[101] = pieces[101], pieces[100]
        path.write_text(json.dumps(pieces), encoding="utf-8")


def _manifest(content: bytes):
    def damage(ct2: Path) -> None:
        (ct2 / ct2_cache.MANIFEST).write_bytes(content)

    return damage


DAMAGE = {
    "2,000 flipped bytes in model.bin": _flip,
    "a truncated model.bin": _truncate,
    "two vocabulary pieces swapped": _vocabulary,
    "the manifest deleted": lambda ct2: (ct2 / ct2_cache.MANIFEST).unlink(),
    "the manifest a JSON list": _manifest(b"[1, 2]"),
    "the manifest 1 MB of junk": _manifest(b"\xff" * (1 << 20)),
    "a stray file added": lambda ct2: (ct2 / "extra.bin").write_bytes(b"x"),
}


@pytest.mark.fault("28.4", "a damaged cached conversion (flipped, truncated, edited, manifest gone or junk)")
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_conversion_is_rebuilt_once_and_never_used(models, cache, caplog, damage):
    model = models[0]
    expected = _reference(model)
    assert Translator.load(model, device="cpu", precision="fp32").engine == "CTranslate2 float32"
    ct2 = _ct2(model)
    DAMAGE[damage](ct2)
    with caplog.at_level(logging.WARNING):
        translator = Translator.load(model, device="cpu", precision="fp32")
    assert translator.engine == "CTranslate2 float32" and translator.translate(TEXT, GREEDY).text == expected
    assert [r.getMessage() for r in caplog.records if "again" in r.getMessage()] != []
    assert ct2_cache.problem(ct2, ct2_cache.source_of(model / WEIGHTS_FILE, ct2_backend.CONVERTER_VERSION)) is None
    made = (ct2 / "model.bin").stat().st_mtime_ns
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert Translator.load(model, device="cpu", precision="fp32").translate(TEXT, GREEDY).text == expected
    assert (ct2 / "model.bin").stat().st_mtime_ns == made and not caplog.records  # rebuilt once, then trusted


@pytest.mark.fault("28.4", "another model's conversion copied into the cache, either way, with or without its manifest")
@pytest.mark.parametrize("with_manifest", [True, False])
def test_another_models_conversion_is_never_used(models, cache, with_manifest):
    a, b = models
    expected = {m: _reference(m) for m in models}
    assert expected[a] != expected[b]  # else the swap could not show
    for m in models:
        Translator.load(m, device="cpu", precision="fp32")
    for target, other in ((a, b), (b, a)):
        shutil.rmtree(_ct2(target))
        shutil.copytree(_ct2(other), _ct2(target))
        if not with_manifest:
            (_ct2(target) / ct2_cache.MANIFEST).unlink()
        translator = Translator.load(target, device="cpu", precision="fp32")
        assert translator.engine == "CTranslate2 float32" and translator.translate(TEXT, GREEDY).text == expected[target]


@pytest.mark.fault("28.4", "retrained weights of the same size with the old time restored (cp -p)")
def test_retrained_weights_with_the_old_time_are_converted_again(models, cache, tmp_path):
    model = shutil.copytree(models[0], tmp_path / "retrained")
    Translator.load(model, device="cpu", precision="fp32")
    weights = model / WEIGHTS_FILE
    before = weights.stat()
    shutil.copyfile(models[1] / WEIGHTS_FILE, weights)
    os.utime(weights, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert weights.stat().st_size == before.st_size and weights.stat().st_mtime_ns == before.st_mtime_ns
    assert Translator.load(model, device="cpu", precision="fp32").translate(TEXT, GREEDY).text == _reference(models[1])
    assert len(list(cache.glob("retrained-*"))) == 2  # one conversion per content


@pytest.mark.fault("28.4", "a damaged conversion whose rebuild fails: PyTorch, one clear line")
def test_a_failed_rebuild_falls_back_to_pytorch_with_one_line(models, cache, caplog, monkeypatch):
    model = models[0]
    Translator.load(model, device="cpu", precision="fp32")
    _flip(_ct2(model))

    def refuse(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(ct2_backend, "convert", refuse)
    with caplog.at_level(logging.WARNING):
        translator = Translator.load(model, device="cpu", precision="fp32")
    assert translator.engine == "PyTorch" and translator.translate(TEXT, GREEDY).text == _reference(model)
    fallback = [r.getMessage() for r in caplog.records if "with PyTorch" in r.getMessage()]
    assert len(fallback) == 1 and "No space left on device" in fallback[0] and not any(r.exc_info for r in caplog.records)
    with pytest.raises(ValueError, match="cannot decode model-a with CTranslate2: No space left"):
        Translator.load(model, device="cpu", engine="ctranslate2")
