"""The one encoder-decoder interface that every architecture implements.

Search, training and model files only talk to this interface, so a new architecture is one file
plus a registry entry. A decoder *state* is whatever the model needs between steps (recurrent
states, encoder memory, caches); search treats it as opaque and only asks the model to reorder it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from typing import Any, ClassVar, Iterator

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from translator_app.core.types.errors import InvalidInput

MAX_SIZE = 1 << 20  # no dimension, layer count or vocabulary of a model this app runs comes near it


@dataclass
class ModelConfig:
    """Hyperparameters shared by all architectures; subclasses add their own."""

    architecture: ClassVar[str] = ""
    vocab_size: int = 8000
    dropout: float = 0.3

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "ModelConfig":
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise InvalidInput(f"unknown hyperparameters for {cls.architecture}: {', '.join(unknown)}")
        converted = {}
        for name, value in values.items():
            expected = type(getattr(cls(), name))
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise InvalidInput(f"hyperparameter {name!r} must be {expected.__name__}, got {value!r}")
            if expected is int and not 1 <= value <= MAX_SIZE:
                raise InvalidInput(f"hyperparameter {name!r} must be a whole number from 1 to {MAX_SIZE:,}, not {value!r}")
            if expected is float and not 0.0 <= value < 1.0:  # the only float hyperparameters are dropout rates
                raise InvalidInput(f"hyperparameter {name!r} must be from 0 to below 1, not {value!r}")
            converted[name] = value
        return cls(**converted)


DecoderState = Any


class _OutputRestriction:
    """The target ids search scores, and their rows of the output layer (cut once, on first use)."""

    def __init__(self, ids: Tensor):
        self.ids = ids
        self.rows: tuple[Tensor, Tensor | None] | None = None
        # each decode step's features [rows, E] and the full output layer, kept so that the chosen
        # tokens can be scored over the whole vocabulary afterwards (``core.full_scores``)
        self.features: list[Tensor] = []
        self.full: tuple[Tensor, Tensor | None] | None = None


class Seq2Seq(nn.Module, ABC):
    """Encoder-decoder over a shared subword vocabulary (ids: pad=0, unk=1, bos=2, eos=3)."""

    config: ModelConfig
    has_attention: ClassVar[bool] = False
    _output_restriction: _OutputRestriction | None = None

    @abstractmethod
    def encode(self, src: Tensor, src_lengths: Tensor) -> DecoderState:
        """src [B, S] padded with PAD_ID, src_lengths [B] → the decoder's initial state."""

    @abstractmethod
    def decode_step(self, state: DecoderState, prev_tokens: Tensor) -> tuple[Tensor, DecoderState, Tensor | None]:
        """prev_tokens [B] → (logits [B, V], next state, attention over source [B, S] or None)."""

    def reorder_state(self, state: DecoderState, order: Tensor) -> DecoderState:
        """Select (and repeat) batch rows of a state; search uses it to expand and reorder beams.

        The default covers the usual layouts: a tensor or a (named) tuple of tensors with the batch
        first, or a dataclass whose ``batch_dims`` names each tensor field's batch dimension (None
        fields are skipped). A state laid out otherwise (nn.LSTM's [layers, batch, hidden]) overrides it.
        """
        if isinstance(state, Tensor):
            return state.index_select(0, order)
        if is_dataclass(type(state)):  # an instance (the state is never a class); leaves ``state`` untyped
            return replace(
                state,
                **{
                    name: getattr(state, name).index_select(dim, order)
                    for name, dim in state.batch_dims.items()
                    if getattr(state, name) is not None
                },
            )
        rows = [tensor.index_select(0, order) for tensor in state]
        return type(state)(*rows) if hasattr(state, "_fields") else tuple(rows)

    def teacher_forced(self, state: DecoderState, tgt_in: Tensor) -> Tensor:
        """Logits [B, T, V] for a whole target prefix. Architectures override this with a
        parallel version; the default runs ``decode_step`` once per position."""
        logits = []
        for t in range(tgt_in.size(1)):
            step_logits, state, _ = self.decode_step(state, tgt_in[:, t])
            logits.append(step_logits)
        return torch.stack(logits, dim=1)

    def forward(self, src: Tensor, src_lengths: Tensor, tgt_in: Tensor, teacher_forcing: float = 1.0) -> Tensor:
        """Training forward pass: logits [B, T, V] for predicting tgt_in shifted by one.

        With ``teacher_forcing`` below 1, each step feeds back the model's own prediction with
        that probability of *not* using the gold token, as in the PyTorch seq2seq tutorials.
        """
        state = self.encode(src, src_lengths)
        if teacher_forcing >= 1.0 or not self.training:
            return self.teacher_forced(state, tgt_in)
        logits = []
        token = tgt_in[:, 0]
        for t in range(tgt_in.size(1)):
            step_logits, state, _ = self.decode_step(state, token)
            logits.append(step_logits)
            if t + 1 < tgt_in.size(1):
                use_gold = torch.rand(token.size(0), device=token.device) < teacher_forcing
                token = torch.where(use_gold, tgt_in[:, t + 1], step_logits.argmax(-1))
        return torch.stack(logits, dim=1)

    def vocabulary_logits(self, features: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        """features [.., E] → logits [.., V] against the output weights [V, E]: the one place every
        architecture scores the vocabulary. Under ``restricted_output(ids)`` only those rows are
        computed, and the last dimension is ``ids``' columns, in their order: [.., len(ids)]."""
        restriction = self._output_restriction
        if restriction is None or self.training:
            return F.linear(features, weight, bias)
        restriction.features.append(features.reshape(-1, features.size(-1)))
        restriction.full = (weight, bias)
        if restriction.rows is None or restriction.rows[0].dtype != weight.dtype:
            restriction.ids = restriction.ids.to(weight.device)
            restriction.rows = (
                weight.index_select(0, restriction.ids),
                bias.index_select(0, restriction.ids) if bias is not None else None,
            )
        return F.linear(features, *restriction.rows)  # [.., V']

    @contextmanager
    def restricted_output(self, ids: Tensor | None) -> Iterator[None]:
        """Score only the target ids ``ids`` (a vocabulary shortlist) while the block runs; None scores all.
        Only search decodes under a restriction: it maps the columns back to ids."""
        previous = self._output_restriction
        self._output_restriction = None if ids is None else _OutputRestriction(ids)
        try:
            yield
        finally:
            self._output_restriction = previous

    @staticmethod
    def source_mask(src_lengths: Tensor, max_length: int) -> Tensor:
        """[B, S] True on real source positions. Built from lengths, not from PAD ids, so that an
        empty input (one PAD token of length 1) still has a position to attend to."""
        return torch.arange(max_length, device=src_lengths.device).unsqueeze(0) < src_lengths.unsqueeze(1)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())
