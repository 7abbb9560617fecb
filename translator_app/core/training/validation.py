"""Validation after every epoch: the loss on the encoded pairs, and BLEU of greedy translations.

The translations go through the ``Translator`` facade, so validation BLEU is what the app's own
decoding (sentence splitting, protected spans, the search) gives, not a shortcut of the trainer's.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Sequence

import torch

from translator_app.core.batching import Batch, collate, make_batches
from translator_app.core.training.corpus_store import EncodedPair
from translator_app.core.metrics import sacrebleu_score
from translator_app.core.modelfile import LoadedModel
from translator_app.core.types.modelformat import ModelMetadata
from translator_app.core.models.base import Seq2Seq
from translator_app.core.types.options import DecodeOptions
from translator_app.core.text import SubwordVocab


@torch.no_grad()
def validate(
    model: Seq2Seq,
    loss_of: Callable[[Batch], torch.Tensor],
    vocab: SubwordVocab,
    metadata: ModelMetadata,
    run_dir: Path,
    val_pairs: Sequence[tuple[str, str]],
    val_encoded: Sequence[EncodedPair],
    *,
    batch_size: int,
    max_length: int,
    device: torch.device,
) -> dict[str, float]:
    """``val_loss`` (per target token), ``val_perplexity`` and ``val_bleu`` (greedy, sacreBLEU) of ``model``."""
    from translator_app.core.translator import Translator  # the facade decodes exactly as the app will

    was_training = model.training
    model.eval()
    try:
        total_loss, total_tokens = 0.0, 0
        for indices in make_batches(val_encoded, batch_size, seed=0, epoch=0, shuffle=False) if val_encoded else []:
            batch = collate(val_encoded, indices).to(device)
            total_loss += float(loss_of(batch)) * batch.target_tokens
            total_tokens += batch.target_tokens
        val_loss = total_loss / max(total_tokens, 1)
        bleu = 0.0
        if val_pairs:
            translator = Translator(LoadedModel(model, vocab, model.config, metadata, run_dir), device)
            outputs = translator.translate_sentences(
                [p[0] for p in val_pairs], DecodeOptions(beam_width=1, max_length=max_length)
            )
            hyps = [o.hypotheses[0].text if o.hypotheses else "" for o in outputs]
            bleu, _ = sacrebleu_score(hyps, [p[1] for p in val_pairs])
    finally:
        model.train(was_training)
    return {"val_loss": val_loss, "val_perplexity": math.exp(min(val_loss, 50)), "val_bleu": bleu}
