import threading

import pytest

from translator_app.core.types.modelformat import ModelFileError
from translator_app.core.types.options import DecodeOptions
from translator_app.core.translator import TranslationCancelled, Translator


@pytest.fixture(scope="module")
def translator(tiny_model_dir):
    # fp32, so batched and one-by-one results are equal bit for bit; bf16 rounds differently with
    # different batch shapes, which can flip near-ties (see test_bf16_inference_translates_alike)
    return Translator.load(tiny_model_dir, device="cpu", precision="fp32")


def test_bf16_inference_translates_alike(tiny_model_dir, translator):
    import torch

    fast = Translator.load(tiny_model_dir, device="cpu", precision="bf16")
    assert fast.dtype == torch.bfloat16 and "bf16" in fast.device_description()
    from translator_app.core.batching import pad_batch

    src, lengths = pad_batch([fast.vocab.encode("Zwei Hunde spielen im Schnee.") + [3]])
    tgt = torch.tensor([[2] + fast.vocab.encode("Two dogs play in the snow.")])
    with torch.inference_mode():
        exact = translator.model(src, lengths, tgt).log_softmax(-1)
        rounded = fast.model(src, lengths, tgt).float().log_softmax(-1)
    assert (exact - rounded).abs().max() < 0.1
    assert fast.translate("Ein Mann fährt Fahrrad.").text


def test_single_string_and_batch(translator):
    one = translator.translate("Ein Mann fährt Fahrrad.")
    many = translator.translate(["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen."])
    assert isinstance(many, list) and len(many) == 2
    assert one.text and one.text == many[0].text
    assert "<unk>" not in one.text and "⁇" not in one.text


def test_paragraphs_and_sentences_are_kept(translator):
    result = translator.translate("Ein Hund läuft. Eine Katze schläft.\n\nEin Mann liest.")
    assert len(result.sentences) == 3
    assert result.text.count("\n\n") == 1


def test_alternatives_are_sorted_and_distinct(translator):
    result = translator.translate("Ein kleines Mädchen spielt im Park.", DecodeOptions(beam_width=5, n_best=4))
    texts = [a.text for a in result.alternatives]
    assert texts[0] == result.text and len(texts) == len(set(texts)) >= 2
    scores = [a.score for a in result.alternatives]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "😀🙈", "\x00\x01\x02", "مرحبا بالعالم", "The quick brown fox.", "!!!???", "1234567890"]
)
def test_odd_input_never_raises(translator, text):
    result = translator.translate(text)
    assert isinstance(result.text, str) and "<unk>" not in result.text


def test_very_long_sentence_is_cut_into_pieces(translator):
    result = translator.translate("Hund " * 400)
    assert result.text and len(result.sentences) == 1


def test_progress_and_cancel(translator):
    calls = []
    text = " ".join(f"Ein Mann Nummer {i} fährt Fahrrad." for i in range(100))
    translator.translate(text, DecodeOptions(beam_width=1), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] and len(calls) > 1
    with pytest.raises(TranslationCancelled):
        translator.translate(text, cancelled=lambda: True)


def test_thread_safe_from_a_worker_thread(translator):
    results, errors = [], []

    def work(i):
        try:
            results.append(translator.translate(f"Ein Hund Nummer {i} läuft.", DecodeOptions(beam_width=2)).text)
        except Exception as exc:  # pragma: no cover - recorded for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 4


def test_load_by_name_from_user_and_shipped_folders(shipped_dir_with_tiny):
    translator = Translator.load(None)  # the default model
    assert translator.name == "tiny-lstm" and translator.device.type in ("cpu", "cuda", "mps")
    with pytest.raises(ModelFileError, match="no such model"):
        Translator.load("does-not-exist")


def test_unknown_device_is_a_clear_error(tiny_model_dir):
    with pytest.raises(ValueError, match="unknown device"):
        Translator.load(tiny_model_dir, device="tpu")


def test_a_long_text_streams_its_finished_sentences_in_order(translator, monkeypatch):
    import translator_app.core.translator as core

    monkeypatch.setattr(core, "STREAM_SENTENCES", 2)
    text = "Ein Mann schläft. Eine Frau liest.\n\nZwei Hunde spielen. Ein Kind lacht. Ein Hund rennt."
    partials, progress = [], []
    streamed = translator.translate(text, partial=partials.append, progress=lambda d, t: progress.append((d, t)))
    assert streamed.text == translator.translate(text).text  # the same translation, only sooner
    assert len(partials) == 2 and all(streamed.text.startswith(p) for p in partials)
    assert "\n\n" in partials[1]  # paragraph breaks kept in the partial text
    assert progress[-1] == (5, 5) and all(t == 5 for _, t in progress)


def test_a_long_text_shows_its_first_sentences_soon_then_in_growing_windows(translator):
    """Issue 29, item 2: fixed windows of 256 showed a 332-sentence paste nothing until 77% was done.
    The windows now grow from STREAM_FIRST, doubling up to STREAM_SENTENCES."""
    text = " ".join(["Ein Mann schläft.", "Eine Frau liest.", "Zwei Hunde spielen.", "Ein Kind lacht."] * 25)  # 100
    partials, progress = [], []
    streamed = translator.translate(text, partial=partials.append, progress=lambda d, t: progress.append((d, t)))
    assert len(streamed.sentences) == 100
    sentences = [s.hypotheses[0].text for s in streamed.sentences]
    done = [next(k for k in range(101) if p == " ".join(sentences[:k])) for p in partials]  # sentences shown
    assert done == [16, 48]  # windows of 16, 32, then the last 52 (the text's end: no partial)
    assert all(streamed.text.startswith(p) for p in partials) and progress[-1] == (100, 100)
