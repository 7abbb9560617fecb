"""Layers more than one architecture is built from, written once."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from translator_app.core.text import PAD_ID


def shared_embedding(vocab_size: int, emb_dim: int) -> nn.Embedding:
    """The joint source/target embedding E, also the output matrix; the padding row stays zero."""
    embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=PAD_ID)
    nn.init.normal_(embedding.weight, std=emb_dim**-0.5)
    with torch.no_grad():
        embedding.weight[PAD_ID].zero_()
    return embedding


class MaxoutOutput(nn.Module):
    """The deep output of Cho et al. and Bahdanau et al.: t = maxout(W [features]) with pools of
    two; the model then scores logits = E t + b with E the shared embedding (stored once) through
    ``Seq2Seq.vocabulary_logits``."""

    def __init__(self, in_dim: int, emb_dim: int, vocab_size: int):
        super().__init__()
        self.maxout = nn.Linear(in_dim, 2 * emb_dim)
        self.bias = nn.Parameter(torch.zeros(vocab_size))

    def forward(self, features: Tensor) -> Tensor:
        return self.maxout(features).unflatten(-1, (-1, 2)).amax(-1)  # [..., E]
