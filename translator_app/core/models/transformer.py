"""Vaswani et al. (2017), "Attention Is All You Need".

An encoder and a decoder built only from attention and position-wise feed-forward layers:

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V
    MultiHead(Q, K, V) = Concat(head_1 .. head_h) W^O,   head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)
    FFN(x)             = max(0, x W_1 + b_1) W_2 + b_2
    PE(pos, 2i)        = sin(pos / 10000^(2i/d)),   PE(pos, 2i+1) = cos(pos / 10000^(2i/d))
    x_0                = sqrt(d) · E[token] + PE(pos)

An encoder layer is self-attention over the source (padding masked) then the FFN; a decoder layer
is causal self-attention, attention over the encoder output, then the FFN. Each sublayer is
residual with layer normalisation. We normalise *before* the sublayer (pre-norm,
x + Sublayer(LN(x)), with a final LN; Xiong et al. 2020) rather than after it as in the paper
(LN(x + Sublayer(x))): pre-norm keeps the gradients of a fresh model well scaled, so it trains with
the shared trainer's short linear warm-up and a peak rate around 1e-3 in bf16 without diverging,
and it loses nothing measurable at this depth. ``pre_norm=False`` gives the paper's post-norm.
Positions are the paper's sinusoids (no parameters, and any length works). Source and target
share one subword embedding, which is also the output layer (Press & Wolf 2017).

Attention runs through ``torch.nn.functional.scaled_dot_product_attention`` (fused kernels), in
our own module rather than ``nn.Transformer`` (whose CPU fast path breaks under bf16 autocast).
Decoding is incremental: ``encode`` computes every decoder layer's cross-attention keys and values
once, and each ``decode_step`` runs only the newest position, appending its self-attention keys
and values to a per-layer cache, so a step costs O(t) instead of recomputing the O(t²) prefix.
SDPA returns no weights, so the last layer's cross-attention is computed explicitly (one query,
cheap) in ``decode_step`` only; its head average is the attention the app shows.
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


@dataclass
class TransformerConfig(ModelConfig):
    architecture: ClassVar[str] = "transformer"
    d_model: int = 256
    num_heads: int = 4  # d_k = 64, as in the paper
    ff_dim: int = 1024
    encoder_layers: int = 3
    decoder_layers: int = 3
    dropout: float = 0.2  # on embeddings and every sublayer output
    attention_dropout: float = 0.1  # on the attention probabilities
    pre_norm: bool = True

    def __post_init__(self) -> None:
        if self.d_model % self.num_heads:
            raise InvalidInput(f"d_model ({self.d_model}) must be a multiple of num_heads ({self.num_heads})")
        if self.d_model % 2:
            raise InvalidInput("d_model must be even (sinusoidal positions pair sines and cosines)")


@dataclass
class TransformerState:
    """Everything the decoder needs between steps; every tensor has the batch on ``batch_dim``."""

    src_mask: Tensor  # [B, 1, 1, S] True on real source tokens
    cross_k: Tensor | None  # [L, B, H, S, d_k] per decoder layer (cached decoding)
    cross_v: Tensor | None
    self_k: Tensor | None  # [L, B, H, t, d_k] keys/values of the t earlier target tokens
    self_v: Tensor | None
    memory: Tensor | None  # [B, S, d] encoder output (uncached decoding only)
    tokens: Tensor | None  # [B, t] earlier target tokens (uncached decoding only)
    step: int = 0

    batch_dims: ClassVar[dict[str, int]] = {
        "src_mask": 0,
        "cross_k": 1,
        "cross_v": 1,
        "self_k": 1,
        "self_v": 1,
        "memory": 0,
        "tokens": 0,
    }


def sinusoidal_positions(positions: Tensor, inv_freq: Tensor) -> Tensor:
    """positions [T] → PE [T, d] with PE[:, 2i] = sin(pos·ω_i), PE[:, 2i+1] = cos(pos·ω_i)."""
    angles = positions.float().unsqueeze(1) * inv_freq.float().unsqueeze(0)  # [T, d/2], fp32 even in a bf16 model
    return torch.stack([angles.sin(), angles.cos()], dim=-1).flatten(1)


class MultiHeadAttention(nn.Module):
    """MultiHead(Q, K, V); keys/values are projected separately so that they can be cached."""

    def __init__(self, d_model: int, num_heads: int, dropout: float):
        super().__init__()
        self.num_heads, self.head_dim, self.dropout = num_heads, d_model // num_heads, dropout
        self.q_proj = nn.Linear(d_model, d_model)
        self.kv_proj = nn.Linear(d_model, 2 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def _split(self, x: Tensor) -> Tensor:  # [B, T, d] → [B, H, T, d_k]
        return x.view(x.size(0), x.size(1), self.num_heads, self.head_dim).transpose(1, 2)

    def keys_values(self, x: Tensor) -> tuple[Tensor, Tensor]:  # [B, S, d] → 2 × [B, H, S, d_k]
        k, v = self.kv_proj(x).chunk(2, dim=-1)
        return self._split(k), self._split(v)

    def forward(
        self, x: Tensor, k: Tensor, v: Tensor, mask: Tensor | None = None, causal: bool = False, need_weights: bool = False
    ) -> tuple[Tensor, Tensor | None]:
        """x [B, T, d] queries over k, v [B, H, S, d_k]; mask [B, 1, 1, S] True = may attend.
        Returns the output [B, T, d] and, with ``need_weights``, head-averaged weights [B, T, S]."""
        q = self._split(self.q_proj(x))
        p = self.dropout if self.training else 0.0
        weights = None
        if need_weights:
            assert not causal, "explicit weights are only computed for cross-attention"
            scores = (q @ k.transpose(-2, -1)) * self.head_dim**-0.5  # [B, H, T, S]
            if mask is not None:
                scores = scores.masked_fill(~mask, float("-inf"))
            probs = scores.float().softmax(-1)
            weights = probs.mean(1)
            out = F.dropout(probs, p, self.training).to(v.dtype) @ v
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p, is_causal=causal)
        out = out.transpose(1, 2).reshape(x.size(0), x.size(1), -1)  # [B, T, d]
        return self.out_proj(out), weights


class FeedForward(nn.Sequential):
    def __init__(self, d_model: int, ff_dim: int):
        super().__init__(nn.Linear(d_model, ff_dim), nn.ReLU(), nn.Linear(ff_dim, d_model))


class EncoderLayer(nn.Module):
    def __init__(self, c: TransformerConfig):
        super().__init__()
        self.pre_norm = c.pre_norm
        self.self_attn = MultiHeadAttention(c.d_model, c.num_heads, c.attention_dropout)
        self.ff = FeedForward(c.d_model, c.ff_dim)
        self.norm1, self.norm2 = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.dropout = nn.Dropout(c.dropout)

    def forward(self, x: Tensor, src_mask: Tensor) -> Tensor:
        h = self.norm1(x) if self.pre_norm else x
        a, _ = self.self_attn(h, *self.self_attn.keys_values(h), mask=src_mask)
        x = x + self.dropout(a) if self.pre_norm else self.norm1(x + self.dropout(a))
        h = self.norm2(x) if self.pre_norm else x
        a = self.ff(h)
        return x + self.dropout(a) if self.pre_norm else self.norm2(x + self.dropout(a))


class DecoderLayer(nn.Module):
    def __init__(self, c: TransformerConfig):
        super().__init__()
        self.pre_norm = c.pre_norm
        self.self_attn = MultiHeadAttention(c.d_model, c.num_heads, c.attention_dropout)
        self.cross_attn = MultiHeadAttention(c.d_model, c.num_heads, c.attention_dropout)
        self.ff = FeedForward(c.d_model, c.ff_dim)
        self.norm1, self.norm2, self.norm3 = (nn.LayerNorm(c.d_model) for _ in range(3))
        self.dropout = nn.Dropout(c.dropout)

    def _residual(self, x: Tensor, a: Tensor, norm: nn.LayerNorm) -> Tensor:
        return x + self.dropout(a) if self.pre_norm else norm(x + self.dropout(a))

    def forward(
        self,
        x: Tensor,
        cross_k: Tensor,
        cross_v: Tensor,
        src_mask: Tensor,
        past: tuple[Tensor, Tensor] | None = None,
        need_weights: bool = False,
    ):
        """x [B, T, d]. Without ``past`` the T positions attend causally among themselves; with
        ``past`` (keys/values [B, H, t, d_k] of earlier positions) x is the one newest position.
        Returns (output [B, T, d], this layer's self-attention keys/values so far, weights)."""
        h = self.norm1(x) if self.pre_norm else x
        k, v = self.self_attn.keys_values(h)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        a, _ = self.self_attn(h, k, v, causal=past is None)
        x = self._residual(x, a, self.norm1)
        h = self.norm2(x) if self.pre_norm else x
        a, weights = self.cross_attn(h, cross_k, cross_v, mask=src_mask, need_weights=need_weights)
        x = self._residual(x, a, self.norm2)
        h = self.norm3(x) if self.pre_norm else x
        return self._residual(x, self.ff(h), self.norm3), (k, v), weights


class TransformerSeq2Seq(Seq2Seq):
    config: TransformerConfig
    has_attention: ClassVar[bool] = True
    inv_freq: Tensor  # a buffer (register_buffer)

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.config = config
        c = config
        self.use_cache = True  # False: every step recomputes the whole prefix (reference and benchmark)
        self.embedding = nn.Embedding(c.vocab_size, c.d_model, padding_idx=PAD_ID)
        self.embed_scale = math.sqrt(c.d_model)
        self.register_buffer("inv_freq", 10000.0 ** (-torch.arange(0, c.d_model, 2).float() / c.d_model), persistent=False)
        self.encoder_layers = nn.ModuleList(EncoderLayer(c) for _ in range(c.encoder_layers))
        self.decoder_layers = nn.ModuleList(DecoderLayer(c) for _ in range(c.decoder_layers))
        self.encoder_norm = nn.LayerNorm(c.d_model) if c.pre_norm else nn.Identity()
        self.decoder_norm = nn.LayerNorm(c.d_model) if c.pre_norm else nn.Identity()
        self.output_bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.dropout = nn.Dropout(c.dropout)
        for name, p in self.named_parameters():
            if p.dim() > 1 and not name.startswith("embedding"):
                nn.init.xavier_uniform_(p)
        nn.init.normal_(self.embedding.weight, std=c.d_model**-0.5)
        with torch.no_grad():
            self.embedding.weight[PAD_ID].zero_()

    def _embed(self, tokens: Tensor, start: int) -> Tensor:  # [B, T] → [B, T, d]
        positions = torch.arange(start, start + tokens.size(1), device=tokens.device)
        pe = sinusoidal_positions(positions, self.inv_freq)
        embedded = self.embedding(tokens) * self.embed_scale
        return self.dropout(embedded + pe.to(embedded.dtype))

    def _logits(self, hidden: Tensor) -> Tensor:  # [.., d] → [.., V]
        return self.vocabulary_logits(self.decoder_norm(hidden), self.embedding.weight, self.output_bias)

    def encode(self, src: Tensor, src_lengths: Tensor) -> TransformerState:
        positions = torch.arange(src.size(1), device=src.device)
        src_mask = (positions.unsqueeze(0) < src_lengths.to(src.device).unsqueeze(1))[:, None, None, :]  # [B, 1, 1, S]
        x = self._embed(src, 0)
        for layer in self.encoder_layers:
            x = layer(x, src_mask)
        memory = self.encoder_norm(x)  # [B, S, d]
        if not self.use_cache:
            return TransformerState(src_mask, None, None, None, None, memory, src.new_empty(src.size(0), 0))
        cross = [self._decoder_layer(i).cross_attn.keys_values(memory) for i in range(len(self.decoder_layers))]
        cross_k = torch.stack([k for k, _ in cross])  # [L, B, H, S, d_k]
        cross_v = torch.stack([v for _, v in cross])
        return TransformerState(src_mask, cross_k, cross_v, None, None, None, None)

    def _decoder_layer(self, index: int) -> DecoderLayer:
        return cast(DecoderLayer, self.decoder_layers[index])  # nn.ModuleList types its items as plain Modules

    def _cross(self, state: TransformerState, layer_index: int) -> tuple[Tensor, Tensor]:
        if state.cross_k is not None and state.cross_v is not None:
            return state.cross_k[layer_index], state.cross_v[layer_index]
        assert state.memory is not None, "an uncached state carries the encoder output"
        return self._decoder_layer(layer_index).cross_attn.keys_values(state.memory)

    def _decode_full(self, state: TransformerState, tgt_in: Tensor, need_weights: bool = False):
        """All positions of tgt_in [B, T] at once under the causal mask → hidden [B, T, d], weights."""
        x = self._embed(tgt_in, 0)
        weights = None
        last = len(self.decoder_layers) - 1
        for i, layer in enumerate(self.decoder_layers):
            x, _, weights = layer(x, *self._cross(state, i), state.src_mask, need_weights=need_weights and i == last)
        return x, weights

    def teacher_forced(self, state: TransformerState, tgt_in: Tensor) -> Tensor:
        hidden, _ = self._decode_full(state, tgt_in)
        return self._logits(hidden)  # [B, T, V]

    def decode_step(self, state: TransformerState, prev_tokens: Tensor):
        if state.tokens is not None:  # uncached: rerun the prefix
            tokens = torch.cat([state.tokens, prev_tokens.unsqueeze(1)], dim=1)
            hidden, weights = self._decode_full(state, tokens, need_weights=True)
            new_state = replace(state, tokens=tokens, step=state.step + 1)
            return self._logits(hidden[:, -1]), new_state, weights[:, -1]
        x = self._embed(prev_tokens.unsqueeze(1), state.step)  # [B, 1, d]
        keys, values, weights = [], [], None
        last = len(self.decoder_layers) - 1
        for i, layer in enumerate(self.decoder_layers):
            past = (state.self_k[i], state.self_v[i]) if state.self_k is not None and state.self_v is not None else None
            x, (k, v), w = layer(x, *self._cross(state, i), state.src_mask, past, need_weights=i == last)
            keys.append(k)
            values.append(v)
            weights = w if w is not None else weights
        new_state = replace(state, self_k=torch.stack(keys), self_v=torch.stack(values), step=state.step + 1)
        return self._logits(x[:, 0]), new_state, weights[:, 0]  # [B, V], state, [B, S]
