"""Sutskever, Vinyals & Le (2014), "Sequence to Sequence Learning with Neural Networks".

A multi-layer LSTM reads the (reversed) source; its final hidden and cell states of every layer
initialise a multi-layer LSTM decoder, which predicts the target one token at a time:

    h_t, c_t = LSTM_enc(emb(x_t), (h_{t-1}, c_{t-1}))          over the reversed source
    s_0 = (h_S, c_S)                                             the whole "thought vector"
    s_t = LSTM_dec(emb(y_{t-1}), s_{t-1});  p(y_t) = softmax(W s_t)

As in the paper, reversing the source puts the first source words next to the first target
words, which makes optimisation much easier for a model without attention. The source and target
share one subword embedding, and the output layer reuses it (Press & Wolf 2017) through a small
projection from the hidden size to the embedding size, which shrinks the model file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence

from translator_app.core.models.base import ModelConfig, Seq2Seq
from translator_app.core.text import PAD_ID


@dataclass
class LSTMConfig(ModelConfig):
    architecture: ClassVar[str] = "lstm"
    emb_dim: int = 256
    hidden_dim: int = 512
    num_layers: int = 2
    dropout: float = 0.3
    reverse_source: bool = True
    tie_embeddings: bool = True


def reverse_padded(src: Tensor, lengths: Tensor) -> Tensor:
    """Reverse each row's first ``length`` tokens, leaving the padding where it is."""
    positions = torch.arange(src.size(1), device=src.device).unsqueeze(0)
    index = lengths.unsqueeze(1) - 1 - positions
    index = torch.where(index >= 0, index, positions)
    return src.gather(1, index)


class LSTMSeq2Seq(Seq2Seq):
    config: LSTMConfig

    def __init__(self, config: LSTMConfig):
        super().__init__()
        self.config = config
        c = config
        self.embedding = nn.Embedding(c.vocab_size, c.emb_dim, padding_idx=PAD_ID)
        self.encoder = nn.LSTM(
            c.emb_dim, c.hidden_dim, c.num_layers, dropout=c.dropout if c.num_layers > 1 else 0.0, batch_first=True
        )
        self.decoder = nn.LSTM(
            c.emb_dim, c.hidden_dim, c.num_layers, dropout=c.dropout if c.num_layers > 1 else 0.0, batch_first=True
        )
        self.dropout = nn.Dropout(c.dropout)
        if c.tie_embeddings:
            self.bottleneck = nn.Linear(c.hidden_dim, c.emb_dim)
            self.output_bias = nn.Parameter(torch.zeros(c.vocab_size))
        else:
            self.output = nn.Linear(c.hidden_dim, c.vocab_size)
        nn.init.normal_(self.embedding.weight, std=c.emb_dim**-0.5)
        with torch.no_grad():
            self.embedding.weight[PAD_ID].zero_()

    def _project(self, hidden: Tensor) -> Tensor:
        hidden = self.dropout(hidden)
        if self.config.tie_embeddings:
            return self.vocabulary_logits(torch.tanh(self.bottleneck(hidden)), self.embedding.weight, self.output_bias)
        return self.vocabulary_logits(hidden, self.output.weight, self.output.bias)

    def encode(self, src: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor]:
        if self.config.reverse_source:
            src = reverse_padded(src, src_lengths)
        embedded = self.dropout(self.embedding(src))  # [B, S, E]
        packed = pack_padded_sequence(embedded, src_lengths.cpu().clamp(min=1), batch_first=True, enforce_sorted=False)
        _, (hidden, cell) = self.encoder(packed)  # [L, B, H] each
        return hidden, cell

    def decode_step(self, state, prev_tokens: Tensor):
        if self.training:  # nn.LSTM applies the inter-layer dropout that training needs
            embedded = self.dropout(self.embedding(prev_tokens.unsqueeze(1)))  # [B, 1, E]
            output, state = self.decoder(embedded, state)  # [B, 1, H]
            return self._project(output.squeeze(1)), state, None
        # Inference: one fused LSTM cell per layer. For a single time step this is several times
        # faster on CPU than nn.LSTM, whose per-call set-up dominates when the sequence is one long.
        hidden, cell = state
        x = self.embedding(prev_tokens)  # [B, E]
        new_hidden, new_cell = [], []
        for layer in range(self.config.num_layers):
            weights = [getattr(self.decoder, f"{name}_l{layer}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            x, c = torch.lstm_cell(x, (hidden[layer], cell[layer]), *weights)  # [B, H] each
            new_hidden.append(x)
            new_cell.append(c)
        return self._project(x), (torch.stack(new_hidden), torch.stack(new_cell)), None

    def teacher_forced(self, state, tgt_in: Tensor) -> Tensor:
        embedded = self.dropout(self.embedding(tgt_in))  # [B, T, E]
        output, _ = self.decoder(embedded, state)  # [B, T, H]
        return self._project(output)  # [B, T, V]

    def reorder_state(self, state, order: Tensor):
        hidden, cell = state
        return hidden.index_select(1, order), cell.index_select(1, order)
