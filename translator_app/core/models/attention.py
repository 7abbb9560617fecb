"""Bahdanau, Cho & Bengio (2015), "Neural Machine Translation by Jointly Learning to Align and
Translate" (PyTorch seq2seq tutorial 3).

A bidirectional GRU annotates every source position; at each step the decoder attends over the
annotations with an additive ("concat") score and reads a fresh context vector:

    h_j = [h→_j; h←_j]                                   annotations, [B, S, 2H]       (sec. 3.2)
    s_0 = tanh(W_0 [h→_S; h←_1])                          (tutorial; the paper uses h←_1 alone)
    e_tj = v_a^T tanh(W_a s_{t-1} + U_a h_j)              additive score               (appendix A.1.2)
    α_tj = softmax_j(e_tj), padding masked to -inf        alignment                    (eq. 6)
    c_t = Σ_j α_tj h_j                                    context                      (eq. 5)
    s_t = GRU([E y_{t-1}; c_t], s_{t-1})                  decoder state                (eq. 4)
    p(y_t) = softmax(E maxout(W_o [s_t; c_t; E y_{t-1}]))  deep output, tied to E       (appendix A.2.2)

U_a h_j does not depend on t, so ``encode`` computes it once and keeps it in the state. As in
tutorial 3 the encoder reads the padded batch as it is, padding included (tutorial 4's packed
sequences, ``packed_attention``, keep padding out of the encoder too); the attention mask alone
guarantees that no padded position is ever attended to.

``cell="lstm"`` builds the same model from LSTMs instead of GRUs (a bidirectional LSTM encoder
and an LSTM-cell decoder, as in Luong et al. 2015), so the product's default can stay an LSTM
encoder-decoder while gaining attention. The decoder state then carries both h_t and the memory
cell c_t, concatenated in one tensor so that beam search reorders them together; the attention
query and the output layer read h_t alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import torch
from torch import Tensor, nn

from translator_app.core.models.base import ModelConfig, Seq2Seq
from translator_app.core.models.layers import MaxoutOutput, shared_embedding
from translator_app.core.types.errors import InvalidInput


@dataclass
class AttentionConfig(ModelConfig):
    architecture: ClassVar[str] = "attention"
    emb_dim: int = 256
    enc_hidden_dim: int = 512  # per direction
    dec_hidden_dim: int = 512
    attn_dim: int = 512
    dropout: float = 0.5
    cell: str = "gru"  # "gru" (the paper, tutorial 3) or "lstm"

    def __post_init__(self) -> None:
        if self.cell not in ("gru", "lstm"):
            raise InvalidInput(f"cell must be 'gru' or 'lstm', not {self.cell!r}")


class AttentionState(NamedTuple):
    hidden: Tensor  # s_{t-1}      [B, Hd]; [B, 2Hd] = [h; c] for the LSTM cell
    annotations: Tensor  # h_j          [B, S, 2He]
    keys: Tensor  # U_a h_j      [B, S, A]
    mask: Tensor  # real source  [B, S] (bool)


class AdditiveAttention(nn.Module):
    """α_t = softmax(v_a^T tanh(W_a s_{t-1} + U_a h)) over the real (unmasked) source positions."""

    def __init__(self, annotation_dim: int, hidden_dim: int, attn_dim: int):
        super().__init__()
        self.keys = nn.Linear(annotation_dim, attn_dim)  # U_a (and the score's bias)
        self.query = nn.Linear(hidden_dim, attn_dim, bias=False)  # W_a
        self.v = nn.Linear(attn_dim, 1, bias=False)  # v_a

    def forward(self, hidden: Tensor, keys: Tensor, mask: Tensor) -> Tensor:
        energy = self.v(torch.tanh(keys + self.query(hidden).unsqueeze(1))).squeeze(-1)  # [B, S]
        return energy.masked_fill(~mask, float("-inf")).softmax(-1)  # [B, S]


class AttentionSeq2Seq(Seq2Seq):
    config: AttentionConfig
    has_attention: ClassVar[bool] = True

    def __init__(self, config: AttentionConfig):
        super().__init__()
        self.config = config
        c = config
        self.lstm = c.cell == "lstm"
        rnn, cell = (nn.LSTM, nn.LSTMCell) if self.lstm else (nn.GRU, nn.GRUCell)
        self.embedding = shared_embedding(c.vocab_size, c.emb_dim)
        self.encoder = rnn(c.emb_dim, c.enc_hidden_dim, batch_first=True, bidirectional=True)
        state_dim = c.dec_hidden_dim * (2 if self.lstm else 1)  # [h; c] for the LSTM
        self.init_hidden = nn.Linear(2 * c.enc_hidden_dim, state_dim)  # W_0
        self.attention = AdditiveAttention(2 * c.enc_hidden_dim, c.dec_hidden_dim, c.attn_dim)
        self.decoder = cell(c.emb_dim + 2 * c.enc_hidden_dim, c.dec_hidden_dim)
        self.output = MaxoutOutput(c.dec_hidden_dim + 2 * c.enc_hidden_dim + c.emb_dim, c.emb_dim, c.vocab_size)
        self.dropout = nn.Dropout(c.dropout)

    def run_encoder(self, embedded: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor]:
        """embedded [B, S, E] → (annotations [B, S, 2He], final states [2, B, He]).
        Tutorial 3: the GRU runs over the padded batch, padding included."""
        return self.encoder(embedded)

    def encode(self, src: Tensor, src_lengths: Tensor) -> AttentionState:
        embedded = self.dropout(self.embedding(src))  # [B, S, E]
        annotations, final = self.run_encoder(embedded, src_lengths)
        if self.lstm:
            final = final[0]  # h_n of (h_n, c_n)
        hidden = torch.tanh(self.init_hidden(torch.cat([final[0], final[1]], -1)))  # s_0 [B, Hd]
        positions = torch.arange(src.size(1), device=src.device)
        mask = positions.unsqueeze(0) < src_lengths.to(src.device).clamp(min=1).unsqueeze(1)
        return AttentionState(hidden, annotations, self.attention.keys(annotations), mask)

    def _step(self, state: AttentionState, embedded: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """One decoder step: embedded [B, E] → (new state, s_t [B, Hd], c_t [B, 2He], α_t [B, S])."""
        size = self.config.dec_hidden_dim
        query = state.hidden[:, :size]
        alpha = self.attention(query, state.keys, state.mask)
        context = torch.bmm(alpha.unsqueeze(1), state.annotations).squeeze(1)
        inputs = torch.cat([embedded, context], -1)
        if self.lstm:
            h, c = self.decoder(inputs, (query, state.hidden[:, size:]))
            return torch.cat([h, c], -1), h, context, alpha
        hidden = self.decoder(inputs, query)
        return hidden, hidden, context, alpha

    def _logits(self, hidden: Tensor, context: Tensor, embedded: Tensor) -> Tensor:
        pooled = self.output(self.dropout(torch.cat([hidden, context, embedded], -1)))
        return self.vocabulary_logits(pooled, self.embedding.weight, self.output.bias)

    def decode_step(self, state: AttentionState, prev_tokens: Tensor):
        embedded = self.dropout(self.embedding(prev_tokens))  # [B, E]
        new_state, hidden, context, alpha = self._step(state, embedded)
        return self._logits(hidden, context, embedded), state._replace(hidden=new_state), alpha

    def teacher_forced(self, state: AttentionState, tgt_in: Tensor) -> Tensor:
        """The recurrence runs step by step; embeddings and the vocabulary-sized output layer run
        once over the whole target."""
        embedded = self.dropout(self.embedding(tgt_in))  # [B, T, E]
        hiddens, contexts = [], []
        for t in range(tgt_in.size(1)):
            new_state, hidden, context, _ = self._step(state, embedded[:, t])
            state = state._replace(hidden=new_state)
            hiddens.append(hidden)
            contexts.append(context)
        return self._logits(torch.stack(hiddens, 1), torch.stack(contexts, 1), embedded)  # [B, T, V]
