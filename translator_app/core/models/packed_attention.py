"""Bahdanau attention with packed padded sequences and a source mask (PyTorch seq2seq tutorial 4).

The model and its equations are those of ``attention`` (Bahdanau, Cho & Bengio 2015). The one
difference is the encoder: the padded batch is packed (``pack_padded_sequence``), so each direction
of the bidirectional GRU reads only the real tokens of its sentence:

    h→_j, h←_j over j = 1..|x| only;   final states h→_|x| and h←_1 of each sentence's own length
    α_tj = 0 wherever j > |x|          (the mask, as in ``attention``)

Together, packing and masking make a sentence's encoding, translation and attention the same
whether it is translated alone or in a padded batch with longer sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from torch import Tensor
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from translator_app.core.models.attention import AttentionConfig, AttentionSeq2Seq


@dataclass
class PackedAttentionConfig(AttentionConfig):
    architecture: ClassVar[str] = "packed_attention"


class PackedAttentionSeq2Seq(AttentionSeq2Seq):
    def run_encoder(self, embedded: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor]:
        """embedded [B, S, E] → (annotations [B, S, 2He], zero on padding; final states [2, B, He])."""
        packed = pack_padded_sequence(embedded, src_lengths.cpu().clamp(min=1), batch_first=True, enforce_sorted=False)
        packed_annotations, final = self.encoder(packed)  # final comes back in the batch's own order
        annotations, _ = pad_packed_sequence(packed_annotations, batch_first=True, total_length=embedded.size(1))
        return annotations, final
