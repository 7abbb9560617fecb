"""The Bahdanau-attention encoder-decoder (``core.models.attention``) in NumPy, for inference.

The same equations as the PyTorch model, written for float32 NumPy arrays read straight from the
model's safetensors file: a bidirectional LSTM or GRU encoder (packed: each sentence's own length;
unpacked, tutorial 3: over the padded batch, padding included), W_0 for the first decoder state,
additive attention, an LSTM/GRU cell and the maxout deep output tied to the embedding. Every
dimension is read off the tensors' shapes, so any hyperparameters of the two architectures load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

ARCHITECTURES = ("attention", "packed_attention")  # what this module runs: both cells of each
GATES = {"lstm": 4, "gru": 3}  # rows of a weight matrix per hidden unit


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # stable for any x, no overflow warning


def lstm_cell(gates: np.ndarray, cell: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's LSTM cell after its two matrix products: gates [B, 4H] = (i, f, g, o) → (h, c)."""
    i, f, g, o = np.split(gates, 4, axis=-1)
    cell = sigmoid(f) * cell + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(cell), cell


def gru_cell(from_input: np.ndarray, from_hidden: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """PyTorch's GRU cell: (r, z, n) of x W_ih + b_ih and of h W_hh + b_hh → h'."""
    xr, xz, xn = np.split(from_input, 3, axis=-1)
    hr, hz, hn = np.split(from_hidden, 3, axis=-1)
    r, z = sigmoid(xr + hr), sigmoid(xz + hz)
    n = np.tanh(xn + r * hn)
    return (1.0 - z) * n + z * hidden


@dataclass
class Recurrent:
    """One direction of a recurrent layer: weights transposed for x @ W."""

    w_ih: np.ndarray  # [In, G·H]
    w_hh: np.ndarray  # [H, G·H]
    b_ih: np.ndarray
    b_hh: np.ndarray
    cell: str

    @property
    def size(self) -> int:
        return self.w_hh.shape[0]

    def step(self, from_input: np.ndarray, state: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(h, c) after one step, given x W_ih + b_ih; c is unused (zeros) for a GRU."""
        hidden, cell = state
        from_hidden = hidden @ self.w_hh + self.b_hh
        if self.cell == "lstm":
            return lstm_cell(from_input + from_hidden, cell)
        return gru_cell(from_input, from_hidden, hidden), cell


@dataclass
class DecoderState:
    """Per decoder row: [h; c] (LSTM) or h (GRU); the encoder's side is per row too, never reordered
    by beam search (a row's sentence never changes), only expanded once."""

    hidden: np.ndarray  # [N, Hd] or [N, 2Hd]
    annotations: np.ndarray  # [N, S, 2He]
    keys: np.ndarray  # [N, S, A]
    mask: np.ndarray  # [N, S] bool


@dataclass
class Step:
    """One decoder step's outputs: the new state, the maxout features and the attention."""

    state: DecoderState
    features: np.ndarray  # [N, E], scored against the (shortlisted) tied output layer
    attention: np.ndarray  # [N, S]


class AttentionNetwork:
    """The attention model's forward pass over float32 weights (``weights``: the state dict's names)."""

    def __init__(self, weights: Mapping[str, np.ndarray], packed: bool):
        w = {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in weights.items()}
        self.packed = packed
        self.embedding = w["embedding.weight"]  # [V, E]
        self.output_bias = w["output.bias"]
        hidden = w["encoder.weight_hh_l0"].shape[1]
        self.cell = "lstm" if w["encoder.weight_hh_l0"].shape[0] == 4 * hidden else "gru"

        def direction(prefix: str, suffix: str = "") -> Recurrent:
            return Recurrent(
                w[f"{prefix}.weight_ih{suffix}"].T.copy(),
                w[f"{prefix}.weight_hh{suffix}"].T.copy(),
                w[f"{prefix}.bias_ih{suffix}"],
                w[f"{prefix}.bias_hh{suffix}"],
                self.cell,
            )

        self.forward, self.backward = direction("encoder", "_l0"), direction("encoder", "_l0_reverse")
        self.decoder = direction("decoder")
        self.init_w, self.init_b = w["init_hidden.weight"].T.copy(), w["init_hidden.bias"]
        self.keys_w, self.keys_b = w["attention.keys.weight"].T.copy(), w["attention.keys.bias"]
        self.query_w = w["attention.query.weight"].T.copy()
        self.v = w["attention.v.weight"][0]
        self.maxout_w, self.maxout_b = w["output.maxout.weight"].T.copy(), w["output.maxout.bias"]

    @property
    def vocab_size(self) -> int:
        return self.embedding.shape[0]

    def encode(self, src: np.ndarray, lengths: np.ndarray) -> DecoderState:
        """src [B, S] (PAD-padded ids), lengths [B] → the decoder's first state."""
        batch, width = src.shape
        embedded = self.embedding[src]  # [B, S, E]
        real = np.arange(width)[None, :] < lengths[:, None]  # [B, S]
        live = real if self.packed else np.ones_like(real)  # tutorial 3 reads the padding too
        halves, finals = [], []
        for rnn, positions in ((self.forward, range(width)), (self.backward, range(width - 1, -1, -1))):
            inputs = embedded @ rnn.w_ih + rnn.b_ih  # [B, S, G·H], all positions at once
            h = np.zeros((batch, rnn.size), np.float32)
            c = np.zeros_like(h)
            out = np.zeros((batch, width, rnn.size), np.float32)
            for t in positions:
                nh, nc = rnn.step(inputs[:, t], (h, c))
                keep = live[:, t : t + 1]
                h, c = np.where(keep, nh, h), np.where(keep, nc, c)  # a packed row waits for its own length
                out[:, t] = np.where(keep, h, 0.0)
            halves.append(out)
            finals.append(h)
        annotations = np.concatenate(halves, -1)  # [B, S, 2He]
        hidden = np.tanh(np.concatenate(finals, -1) @ self.init_w + self.init_b)  # s_0
        mask = np.arange(width)[None, :] < np.maximum(lengths, 1)[:, None]
        return DecoderState(hidden, annotations, annotations @ self.keys_w + self.keys_b, mask)

    def step(self, state: DecoderState, prev: np.ndarray) -> Step:
        """prev [N] token ids → the next state, the output features and α_t."""
        size = self.decoder.size
        embedded = self.embedding[prev]  # [N, E]
        query = state.hidden[:, :size]
        energy = np.tanh(state.keys + (query @ self.query_w)[:, None, :]) @ self.v  # [N, S]
        energy = np.where(state.mask, energy, -np.inf)
        alpha = np.exp(energy - energy.max(-1, keepdims=True))
        alpha /= alpha.sum(-1, keepdims=True)
        context = np.einsum("ns,nsd->nd", alpha, state.annotations)
        from_input = np.concatenate([embedded, context], -1) @ self.decoder.w_ih + self.decoder.b_ih
        cell = state.hidden[:, size:] if self.cell == "lstm" else query
        h, c = self.decoder.step(from_input, (query, cell))
        new_hidden = np.concatenate([h, c], -1) if self.cell == "lstm" else h
        pooled = np.concatenate([h, context, embedded], -1) @ self.maxout_w + self.maxout_b
        features = pooled.reshape(len(prev), -1, 2).max(-1)  # maxout, pools of two
        new_state = DecoderState(new_hidden, state.annotations, state.keys, state.mask)
        return Step(new_state, features, alpha)

    def expand(self, state: DecoderState, rows: np.ndarray) -> DecoderState:
        return DecoderState(state.hidden[rows], state.annotations[rows], state.keys[rows], state.mask[rows])

    def reorder(self, state: DecoderState, rows: np.ndarray) -> DecoderState:
        """Beam reordering: only the recurrent state moves (the rows' sentences stay the same)."""
        return DecoderState(state.hidden[rows], state.annotations, state.keys, state.mask)


def expected_shapes(
    architecture: str, hyper: Mapping[str, object], found: Mapping[str, tuple[int, ...]]
) -> dict[str, tuple[int, ...]]:
    """The tensors this module reads and their shapes, derived from the embedding and encoder's
    shapes (so that a mismatch names the tensor); the caller compares them with the file's."""
    vocab, emb = found.get("embedding.weight", (0, 0))
    gates_enc, enc = found.get("encoder.weight_hh_l0", (0, 0))
    cell = str(hyper.get("cell", "gru"))
    gates = GATES.get(cell, 3)
    dec = found.get("decoder.weight_hh", (0, 0))[1]
    attn = found.get("attention.keys.weight", (0, 0))[0]
    shapes = {"embedding.weight": (vocab, emb), "output.bias": (vocab,)}
    for suffix in ("_l0", "_l0_reverse"):
        shapes |= {
            f"encoder.weight_ih{suffix}": (gates * enc, emb),
            f"encoder.weight_hh{suffix}": (gates * enc, enc),
            f"encoder.bias_ih{suffix}": (gates * enc,),
            f"encoder.bias_hh{suffix}": (gates * enc,),
        }
    state = dec * (2 if cell == "lstm" else 1)
    shapes |= {
        "init_hidden.weight": (state, 2 * enc),
        "init_hidden.bias": (state,),
        "attention.keys.weight": (attn, 2 * enc),
        "attention.keys.bias": (attn,),
        "attention.query.weight": (attn, dec),
        "attention.v.weight": (1, attn),
        "decoder.weight_ih": (gates * dec, emb + 2 * enc),
        "decoder.weight_hh": (gates * dec, dec),
        "decoder.bias_ih": (gates * dec,),
        "decoder.bias_hh": (gates * dec,),
        "output.maxout.weight": (2 * emb, dec + 2 * enc + emb),
        "output.maxout.bias": (2 * emb,),
    }
    return shapes
