"""Gehring, Auli, Grangier, Yarats & Dauphin (2017), "Convolutional Sequence to Sequence Learning",
as in the PyTorch seq2seq tutorial 5.

Both encoder and decoder are stacks of 1-D convolutions with gated linear units (Dauphin et al.
2017) and scaled residual connections, over token + learned position embeddings:

    e_j = E[x_j] + P[j];   h^0 = W_in e
    [A; B] = Conv_k(h^{l-1});   h^l = (A ⊙ σ(B) + h^{l-1}) · sqrt(0.5)                 GLU block
    encoder outputs: z_j = W_out h^L_j (conved),   z_j + e_j (combined, scaled by sqrt(0.5))

The decoder pads each convolution with k-1 zeros on the left only, so position i sees positions
≤ i, exactly as at decoding time. Every decoder layer l attends over the source (multi-step
attention) with its own projections:

    d_i^l = (W_d^l c_i^l + g_i) · sqrt(0.5)          c_i^l: GLU output, g_i: target embedding
    a_ij^l = softmax_j(d_i^l · z_j)                   (source padding masked)
    c_i^l ← (c_i^l + W_c^l Σ_j a_ij^l (z_j + e_j)) · sqrt(0.5), then the residual above

The output is softmax(E · W_o h^L + b), the shared joint embedding tied to the output layer.
Encoder padding is zeroed before every convolution, so a sentence encodes exactly as it would
alone (the convolution's own zero padding). Incremental decoding keeps, per decoder layer, the last
k-1 inputs of its convolution, so a step computes only the newest position; the encoder's conved
and combined outputs are computed once in ``encode``. The attention shown is the last layer's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar, cast

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from translator_app.core.models.base import ModelConfig, Seq2Seq
from translator_app.core.text import PAD_ID
from translator_app.core.types.errors import InvalidInput

SCALE = math.sqrt(0.5)


@dataclass
class ConvS2SConfig(ModelConfig):
    architecture: ClassVar[str] = "convs2s"
    emb_dim: int = 256
    hidden_dim: int = 256
    encoder_layers: int = 8  # receptive field 1 + 8·(k-1) = 17 source subwords
    decoder_layers: int = 6  # each output sees the 12 previous subwords through the convolutions
    kernel_size: int = 3
    dropout: float = 0.25
    max_positions: int = 256  # learned positions; later positions reuse the last embedding

    def __post_init__(self) -> None:
        if self.kernel_size < 1 or self.kernel_size % 2 == 0:
            raise InvalidInput(f"kernel_size must be odd and positive, got {self.kernel_size}")
        if self.max_positions < 1:
            raise InvalidInput("max_positions must be positive")


@dataclass
class ConvS2SState:
    src_mask: Tensor  # [B, S] True on real source tokens
    enc_conved: Tensor  # [B, S, E]  z_j
    enc_combined: Tensor  # [B, S, E]  (z_j + e_j) · sqrt(0.5)
    windows: Tensor | None  # [L, B, H, k-1] last k-1 convolution inputs per layer (cached)
    tokens: Tensor | None  # [B, t] earlier target tokens (uncached decoding only)
    step: int = 0

    batch_dims: ClassVar[dict[str, int]] = {"src_mask": 0, "enc_conved": 0, "enc_combined": 0, "windows": 1, "tokens": 0}


class ConvS2SSeq2Seq(Seq2Seq):
    config: ConvS2SConfig
    has_attention: ClassVar[bool] = True

    def __init__(self, config: ConvS2SConfig):
        super().__init__()
        self.config = config
        c = config
        E, H, k = c.emb_dim, c.hidden_dim, c.kernel_size
        self.use_cache = True  # False: every step reruns the decoder over the whole prefix (reference)
        self.embedding = nn.Embedding(c.vocab_size, E, padding_idx=PAD_ID)
        self.src_positions = nn.Embedding(c.max_positions, E)
        self.tgt_positions = nn.Embedding(c.max_positions, E)
        # encoder
        self.enc_emb2hid, self.enc_hid2emb = nn.Linear(E, H), nn.Linear(H, E)
        self.enc_convs = nn.ModuleList(nn.Conv1d(H, 2 * H, k, padding=(k - 1) // 2) for _ in range(c.encoder_layers))
        # decoder
        self.dec_emb2hid, self.dec_hid2emb = nn.Linear(E, H), nn.Linear(H, E)
        self.dec_convs = nn.ModuleList(nn.Conv1d(H, 2 * H, k) for _ in range(c.decoder_layers))
        self.attn_hid2emb = nn.ModuleList(nn.Linear(H, E) for _ in range(c.decoder_layers))
        self.attn_emb2hid = nn.ModuleList(nn.Linear(E, H) for _ in range(c.decoder_layers))
        self.output_bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.dropout = nn.Dropout(c.dropout)
        for emb in (self.embedding, self.src_positions, self.tgt_positions):
            nn.init.normal_(emb.weight, std=E**-0.5)
        with torch.no_grad():
            self.embedding.weight[PAD_ID].zero_()

    def _embed(self, tokens: Tensor, positions: nn.Embedding, start: int) -> Tensor:  # [B, T] → [B, T, E]
        index = torch.arange(start, start + tokens.size(1), device=tokens.device).clamp(max=self.config.max_positions - 1)
        return self.dropout(self.embedding(tokens) + positions(index))

    # -- encoder -------------------------------------------------------------------------------
    def encode(self, src: Tensor, src_lengths: Tensor) -> ConvS2SState:
        src_mask = torch.arange(src.size(1), device=src.device).unsqueeze(0) < src_lengths.to(src.device).unsqueeze(1)
        keep = src_mask.unsqueeze(1)  # [B, 1, S]
        embedded = self._embed(src, self.src_positions, 0)  # [B, S, E]
        x = self.enc_emb2hid(embedded).transpose(1, 2)  # [B, H, S]
        for conv in self.enc_convs:
            x = self.dropout(x) * keep  # padding reads as the conv's zeros
            x = (F.glu(conv(x), dim=1) + x) * SCALE
        conved = self.enc_hid2emb(x.transpose(1, 2))  # [B, S, E]
        combined = (conved + embedded) * SCALE
        c = self.config
        windows: Tensor | None = None
        tokens: Tensor | None = None
        if self.use_cache:
            windows = conved.new_zeros(c.decoder_layers, src.size(0), c.hidden_dim, c.kernel_size - 1)
        else:
            tokens = src.new_empty(src.size(0), 0)
        return ConvS2SState(src_mask, conved, combined, windows, tokens)

    # -- decoder -------------------------------------------------------------------------------
    def _attend(self, layer: int, embedded: Tensor, conved: Tensor, state: ConvS2SState) -> tuple[Tensor, Tensor]:
        """Multi-step attention of decoder layer ``layer``: embedded [B, T, E], conved [B, H, T]
        → (attention [B, T, S], conved with the attended source added, [B, H, T])."""
        d = (self.attn_hid2emb[layer](conved.transpose(1, 2)) + embedded) * SCALE  # [B, T, E]
        energy = d @ state.enc_conved.transpose(1, 2)  # [B, T, S]
        energy = energy.masked_fill(~state.src_mask.unsqueeze(1), float("-inf"))
        attention = energy.float().softmax(-1)
        attended = attention.to(state.enc_combined.dtype) @ state.enc_combined  # [B, T, E]
        attended = self.attn_emb2hid[layer](attended).transpose(1, 2)  # [B, H, T]
        return attention, (conved + attended) * SCALE

    def _decode_full(self, state: ConvS2SState, tgt_in: Tensor) -> tuple[Tensor, Tensor]:
        """All positions of tgt_in [B, T] at once (left padding keeps it causal) → ([B, T, E], attention)."""
        embedded = self._embed(tgt_in, self.tgt_positions, 0)  # [B, T, E]
        x = self.dec_emb2hid(embedded).transpose(1, 2)  # [B, H, T]
        attention: Tensor | None = None
        for layer, conv in enumerate(self.dec_convs):
            x = self.dropout(x)
            conved = F.glu(conv(F.pad(x, (self.config.kernel_size - 1, 0))), dim=1)
            attention, conved = self._attend(layer, embedded, conved, state)
            x = (conved + x) * SCALE
        assert attention is not None, "the decoder has at least one layer"
        return self.dropout(self.dec_hid2emb(x.transpose(1, 2))), attention

    def _logits(self, hidden: Tensor) -> Tensor:
        return self.vocabulary_logits(hidden, self.embedding.weight, self.output_bias)

    def teacher_forced(self, state: ConvS2SState, tgt_in: Tensor) -> Tensor:
        return self._logits(self._decode_full(state, tgt_in)[0])  # [B, T, V]

    def decode_step(self, state: ConvS2SState, prev_tokens: Tensor):
        if state.tokens is not None:  # uncached: rerun the prefix
            tokens = torch.cat([state.tokens, prev_tokens.unsqueeze(1)], dim=1)
            hidden, attention = self._decode_full(state, tokens)
            return self._logits(hidden[:, -1]), replace(state, tokens=tokens, step=state.step + 1), attention[:, -1]
        embedded = self._embed(prev_tokens.unsqueeze(1), self.tgt_positions, state.step)  # [B, 1, E]
        x = self.dec_emb2hid(embedded).transpose(1, 2)  # [B, H, 1]
        assert state.windows is not None, "a cached state carries the convolution windows"
        windows: list[Tensor] = []
        for layer, module in enumerate(self.dec_convs):
            conv = cast(nn.Conv1d, module)  # nn.ModuleList types its items as plain Modules
            x = self.dropout(x)
            window = torch.cat([state.windows[layer].to(x.dtype), x], dim=2)  # [B, H, k]
            windows.append(window[:, :, 1:])
            conved = F.glu(F.conv1d(window, conv.weight, conv.bias), dim=1)  # [B, H, 1]
            attention, conved = self._attend(layer, embedded, conved, state)
            x = (conved + x) * SCALE
        hidden = self.dropout(self.dec_hid2emb(x.transpose(1, 2)))  # [B, 1, E]
        new_state = replace(state, windows=torch.stack(windows), step=state.step + 1)
        return self._logits(hidden[:, 0]), new_state, attention[:, 0]
