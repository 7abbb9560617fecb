"""CTranslate2 as the Transformer's engine: the conversion is weight for weight (fp32 greedy output
token for token the same as PyTorch's), int8 keeps BLEU, and the choice of engine is clear."""

import pytest
import torch

from translator_app.core import ct2_backend
from translator_app.core.devices import Runtime, resolve_runtime
from translator_app.core.modelfile import load_model_folder, save_model_folder
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models import build_model
from translator_app.core.models.transformer import TransformerConfig
from translator_app.core.search import output_limits, search
from translator_app.core.batching import pad_batch
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import EOS_ID
from translator_app.core.translator import Translator

pytestmark = pytest.mark.skipif(not ct2_backend.available(), reason="the ctranslate2 package is not installed")
SOURCES = [[5, 6, 7, 8, EOS_ID], [9, EOS_ID], [10, 11, 12, 13, 14, 15, 16, 17, 18, EOS_ID], [19, 20, 21, EOS_ID]]


@pytest.fixture(scope="module")
def transformer_folder(tmp_path_factory, tiny_model_dir):
    """A random Transformer (sharp enough logits that ties never decide) over the tiny model's vocabulary."""
    vocab = load_model_folder(tiny_model_dir).vocab
    torch.manual_seed(3)
    config = TransformerConfig(
        vocab_size=len(vocab),
        d_model=32,
        num_heads=4,
        ff_dim=64,
        encoder_layers=2,
        decoder_layers=2,
        dropout=0.0,
        attention_dropout=0.0,
    )
    model = build_model(config).eval()
    with torch.no_grad():
        model.embedding.weight.mul_(8.0)
    return save_model_folder(
        tmp_path_factory.mktemp("models") / "tiny-transformer",
        model,
        vocab,
        ModelMetadata(name="tiny-transformer"),
        half_precision=False,
    )


@pytest.fixture(scope="module")
def engines(transformer_folder, tmp_path_factory):
    loaded = load_model_folder(transformer_folder)
    folder = tmp_path_factory.mktemp("engine")
    ct2_backend.convert(loaded.model, loaded.vocab, folder)
    return loaded, ct2_backend.Ct2Engine(folder, loaded.vocab, "float32", runtime=Runtime("cpu", 1))


def test_fp32_conversion_gives_pytorchs_tokens_and_log_probs(engines):
    """Greedy, where both engines must agree exactly; beam search differs only in how unfinished
    beams are ranked at the length limit, and is held to BLEU below."""
    loaded, engine = engines
    options = DecodeOptions(beam_width=1, max_length=30)
    for source in SOURCES:
        src, lengths = pad_batch([source])
        ours = search(loaded.model, src, lengths, options)[0][0]
        theirs = engine.decode([source], output_limits(lengths, options).tolist(), options, with_attention=True)[0][0]
        assert theirs.token_ids == ours.token_ids
        assert theirs.token_log_probs == pytest.approx(ours.token_log_probs, abs=1e-4)
        assert len(theirs.attention) == len(ours.token_ids) and len(theirs.attention[0]) == len(source)
        assert torch.tensor(theirs.attention[0]).sum().item() == pytest.approx(1.0, abs=1e-4)


def test_n_best_is_sorted_and_the_limit_is_flagged(engines):
    loaded, engine = engines
    hypotheses = engine.decode(SOURCES, [30] * len(SOURCES), DecodeOptions(beam_width=4, n_best=3), with_attention=False)
    for hyps in hypotheses:
        assert len(hyps) == 3 and [h.score for h in hyps] == sorted((h.score for h in hyps), reverse=True)
        assert all(h.token_ids[-1] == EOS_ID and len(h.token_log_probs) == len(h.token_ids) for h in hyps)
    cut = engine.decode([SOURCES[2]], [2], DecodeOptions(beam_width=1), with_attention=False)[0][0]
    ours = search(loaded.model, *pad_batch([SOURCES[2]]), DecodeOptions(beam_width=1, max_length=2))[0][0]
    assert len(cut.token_ids) == 3 and cut.truncated == ours.truncated


def test_auto_uses_ctranslate2_for_a_transformer_and_converts_once(transformer_folder, tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSLATOR_APP_CACHE_DIR", str(tmp_path / "cache"))
    translator = Translator.load(transformer_folder, device="cpu")
    assert translator.engine == f"CTranslate2 {ct2_backend.COMPUTE_TYPE}" and "CTranslate2" in translator.device_description()
    converted = list((tmp_path / "cache" / "engines").glob("*/ct2/model.bin"))
    assert len(converted) == 1
    made = converted[0].stat().st_mtime_ns
    again = Translator.load(transformer_folder, device="cpu")
    assert again.engine.startswith("CTranslate2") and converted[0].stat().st_mtime_ns == made  # from the cache
    assert not (transformer_folder / ct2_backend.CT2_DIR).exists()  # the model folder is only read
    text = "Ein Mann fährt Fahrrad."
    fp32 = Translator.load(transformer_folder, device="cpu", precision="fp32")
    assert fp32.engine == "CTranslate2 float32"
    plain = Translator.load(transformer_folder, device="cpu", precision="fp32", engine="pytorch")
    assert plain.engine == "PyTorch"
    options = DecodeOptions(beam_width=1)
    assert fp32.translate(text, options).text == plain.translate(text, options).text


def test_engine_choice_errors_are_clear(tiny_model_dir, transformer_folder):
    assert Translator.load(tiny_model_dir, device="cpu").engine == "PyTorch"  # an LSTM: PyTorch, quietly
    with pytest.raises(ValueError, match="only Transformer models run on CTranslate2"):
        Translator.load(tiny_model_dir, device="cpu", engine="ctranslate2")
    with pytest.raises(ValueError, match="unknown engine"):
        Translator.load(transformer_folder, device="cpu", engine="onnx")


def test_an_unwritable_cache_falls_back_to_pytorch(transformer_folder, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("TRANSLATOR_APP_CACHE_DIR", str(blocker))
    assert Translator.load(transformer_folder, device="cpu").engine == "PyTorch"
    with pytest.raises(ValueError, match="cannot decode tiny-transformer with CTranslate2"):
        Translator.load(transformer_folder, device="cpu", engine="ctranslate2")


def test_the_shipped_transformer_keeps_its_bleu_in_int8():
    """int8 loses at most 0.3 BLEU against float32 (which gives PyTorch's tokens, the test above), at
    the model's own beam 5: the mean over 200 sentences of each domain's test set, or, on a fresh
    clone, over the 1,000 sentences of the bundled Tatoeba sample (news and captions are not ours
    to bundle)."""
    from conftest import BUNDLED_DATA, SHARED_DATA
    from translator_app.core.eval_sets import EVAL_SETS
    from translator_app.core.evaluation import evaluate_pairs

    try:
        sets = [eval_set.read("test", 200, data=SHARED_DATA) for eval_set in EVAL_SETS]
    except FileNotFoundError:
        sets = [EVAL_SETS[0].read("test", 1000, data=BUNDLED_DATA)]
    float32 = Translator.load("general-transformer-de-en", device="cpu", precision="fp32", engine="ctranslate2")
    int8 = Translator.load("general-transformer-de-en", device="cpu", engine="ctranslate2")
    options = int8.default_options()

    def mean_bleu(translator: Translator) -> float:
        return sum(evaluate_pairs(translator, src, ref, options).scores.sacrebleu for src, ref in sets) / len(sets)

    before, after = mean_bleu(float32), mean_bleu(int8)
    assert int8.engine == "CTranslate2 int8" and after >= before - 0.3, (before, after)


def test_the_cli_chooses_the_engine(transformer_folder, capsys):
    from translator_app.cli.main import main

    text = "Ein Mann fährt Fahrrad."
    assert main(["translate", "--model", str(transformer_folder), "--engine", "ctranslate2", "--beam", "1", text]) == 0
    fast = capsys.readouterr().out
    assert main(["translate", "--model", str(transformer_folder), "--engine", "pytorch", "--beam", "1", text]) == 0
    assert capsys.readouterr().out == fast
    with pytest.raises(SystemExit):
        main(["translate", "--model", str(transformer_folder), "--engine", "onnx", text])
    assert "invalid choice: 'onnx'" in capsys.readouterr().err


def test_ctranslate2_says_how_many_threads_it_uses(transformer_folder):
    translator = Translator.load(transformer_folder, device="cpu")
    threads = resolve_runtime("cpu").threads  # automatic (the policy itself: test_runtime.py)
    assert translator._engine is not None and translator._engine.threads == threads
    assert translator.device_description().startswith(f"CPU ({threads} thread{'' if threads == 1 else 's'}), CTranslate2")
