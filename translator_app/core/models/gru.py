"""Cho et al. (2014), "Learning Phrase Representations using RNN Encoder-Decoder for Statistical
Machine Translation" (PyTorch seq2seq tutorial 2).

A single-layer GRU reads the source; its final hidden state is the context vector c, which
initialises the decoder and is fed again to *every* decoder step and to the output layer, so the
decoder never has to carry the whole source in its own state:

    h_i = GRU_enc(E x_i, h_{i-1});       c = h_S                 (eq. 1, GRU units of eqs. 5-8)
    s_0 = c;   s_t = GRU_dec([E y_{t-1}; c], s_{t-1})             (eq. 2; the paper starts from tanh(V c))
    t_t = maxout(O_h s_t + O_y E y_{t-1} + O_c c)                  (the deep output of appendix A)
    p(y_t | y_<t, x) = softmax(G t_t)                              (eq. 3)

As in the paper, the output matrix G is word-embedding-sized; here it *is* the shared German+English
subword embedding E (Press & Wolf 2017), so the model file holds one vocabulary-sized matrix.
Because c is the same at every step, the decoder GRU runs over a whole target at once in training.
The source is packed, so padding never reaches the encoder and never changes a translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence

from translator_app.core.models.base import ModelConfig, Seq2Seq
from translator_app.core.models.layers import MaxoutOutput, shared_embedding


@dataclass
class GRUConfig(ModelConfig):
    architecture: ClassVar[str] = "gru"
    emb_dim: int = 256
    hidden_dim: int = 512
    dropout: float = 0.5


class GRUState(NamedTuple):
    hidden: Tensor  # s_{t-1} [B, H]
    context: Tensor  # c       [B, H]


class GRUSeq2Seq(Seq2Seq):
    config: GRUConfig

    def __init__(self, config: GRUConfig):
        super().__init__()
        self.config = config
        c = config
        self.embedding = shared_embedding(c.vocab_size, c.emb_dim)
        self.encoder = nn.GRU(c.emb_dim, c.hidden_dim, batch_first=True)
        self.decoder = nn.GRU(c.emb_dim + c.hidden_dim, c.hidden_dim, batch_first=True)
        self.output = MaxoutOutput(c.emb_dim + 2 * c.hidden_dim, c.emb_dim, c.vocab_size)
        self.dropout = nn.Dropout(c.dropout)

    def encode(self, src: Tensor, src_lengths: Tensor) -> GRUState:
        embedded = self.dropout(self.embedding(src))  # [B, S, E]
        packed = pack_padded_sequence(embedded, src_lengths.cpu().clamp(min=1), batch_first=True, enforce_sorted=False)
        _, hidden = self.encoder(packed)  # [1, B, H]
        return GRUState(hidden[0], hidden[0])

    def _decode(self, state: GRUState, embedded: Tensor) -> tuple[Tensor, Tensor]:
        """embedded [B, T, E] → (logits [B, T, V], last decoder hidden [B, H])."""
        context = state.context.unsqueeze(1).expand(-1, embedded.size(1), -1)  # [B, T, H]
        hidden, last = self.decoder(torch.cat([embedded, context], -1), state.hidden.unsqueeze(0))
        features = self.dropout(torch.cat([hidden, embedded, context], -1))  # [B, T, 2H + E]
        return self.vocabulary_logits(self.output(features), self.embedding.weight, self.output.bias), last[0]

    def decode_step(self, state: GRUState, prev_tokens: Tensor):
        embedded = self.dropout(self.embedding(prev_tokens.unsqueeze(1)))  # [B, 1, E]
        logits, hidden = self._decode(state, embedded)
        return logits.squeeze(1), state._replace(hidden=hidden), None

    def teacher_forced(self, state: GRUState, tgt_in: Tensor) -> Tensor:
        return self._decode(state, self.dropout(self.embedding(tgt_in)))[0]  # [B, T, V]
