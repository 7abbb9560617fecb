"""PyTorch as an ``Engine``: the reference every other engine is held to, and the one for any model
or device they cannot run (a GPU, bf16, the convolutional and recurrent tutorials)."""

from __future__ import annotations

from typing import Sequence

import torch

from translator_app.core.batching import pad_batch
from translator_app.core.devices import Runtime, apply_torch_threads, describe_device
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.modelfile import LoadedModel
from translator_app.core.types.options import DecodeOptions
from translator_app.core.search import search


class TorchEngine:
    """A loaded model decoded by ``core.search`` on its device, on the runtime's threads."""

    name = "PyTorch"

    def __init__(self, loaded: LoadedModel, device: torch.device, runtime: Runtime):
        self.loaded, self.device, self.runtime = loaded, device, runtime

    @property
    def has_attention(self) -> bool:
        return self.loaded.model.has_attention

    @property
    def dtype(self) -> torch.dtype:
        return next(self.loaded.model.parameters()).dtype

    def describe(self) -> str:
        return describe_device(self.device, self.dtype, self.runtime.threads)

    def search(
        self, sources: Sequence[Sequence[int]], options: DecodeOptions, banned: Sequence[Sequence[int]], use_shortlist: bool
    ) -> list[list[Hypothesis]]:
        apply_torch_threads(self.runtime.threads)  # torch's count is process-wide: set it for this model
        src, lengths = pad_batch(sources, self.device)
        shortlist = self.loaded.shortlist if use_shortlist else None
        return search(self.loaded.model, src, lengths, options, shortlist, banned)
