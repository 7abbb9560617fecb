"""The one interface every inference engine offers the ``Translator``: encoded sources in, hypotheses out.

PyTorch (``core.torch_engine``), NumPy (``core.numpy_engine``) and CTranslate2 (``core.ct2_backend``)
each implement it, so the facade holds one ``Engine`` and never asks which one it is, as
OpenNMT-py's translator holds one ``DecodeStrategy`` and Argos Translate one engine. Free of torch
and NumPy, like the facade's own imports.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence, runtime_checkable

from translator_app.core.devices import Runtime
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.types.options import DecodeOptions


@runtime_checkable
class Engine(Protocol):
    """What decodes a loaded model."""

    runtime: Runtime  # the CPU threads it decodes with, applied by the engine itself; Preferences set it again

    @property
    def name(self) -> str:
        """What decodes, for the user: "PyTorch", "NumPy float32", "CTranslate2 int8"."""

    @property
    def has_attention(self) -> bool:
        """Whether its hypotheses carry attention (the attention view needs it)."""

    @property
    def dtype(self) -> Any:
        """What it computes in: a torch dtype, NumPy's float32, or CTranslate2's compute type."""

    def describe(self) -> str:
        """The device line: processor or GPU, threads, engine and precision."""

    def search(
        self, sources: Sequence[Sequence[int]], options: DecodeOptions, banned: Sequence[Sequence[int]], use_shortlist: bool
    ) -> list[list[Hypothesis]]:
        """Per source (subword ids ending with EOS), up to ``options.n_best`` hypotheses best first,
        each ending with EOS; none holds an id of ``banned[i]`` (the placeholders source i lacks);
        ``use_shortlist``: score only the sources' likely target subwords where the model has a shortlist."""
