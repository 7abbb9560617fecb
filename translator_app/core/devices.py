"""Pick the compute device: CUDA, then Apple MPS, else CPU, unless the user asks for one; and the
app's CPU thread setting, which PyTorch and the NumPy engine's BLAS both follow. torch is imported
only by the functions that are about torch, so the NumPy engine's path never loads it."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps", "gpu")


def resolve_device(requested: str = "auto") -> "torch.device":
    import torch

    requested = (requested or "auto").lower()
    if requested not in DEVICE_CHOICES and not requested.startswith("cuda:"):
        raise ValueError(f"unknown device {requested!r}; choose one of {', '.join(DEVICE_CHOICES)}")
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if requested in ("auto", "gpu"):
        if cuda:
            return torch.device("cuda")
        if mps:
            return torch.device("mps")
        if requested == "gpu":
            raise ValueError("no GPU is available (neither CUDA nor Apple MPS); use the CPU")
        return torch.device("cpu")
    if requested.startswith("cuda") and not cuda:
        raise ValueError("CUDA was requested but no CUDA GPU is available")
    if requested == "mps" and not mps:
        raise ValueError("Apple MPS was requested but is not available on this machine")
    return torch.device(requested)


PRECISIONS = ("auto", "fp32", "bf16")


def inference_dtype(device: "torch.device", precision: str = "auto") -> "torch.dtype":
    """The dtype to run a model in. "auto" picks bf16 on a CPU with native bf16 instructions:
    decoding reads every weight once per step, so half the bytes is nearly half the time, and the
    model's BLEU is unchanged (measured in benchmarks/decode.py)."""
    import torch

    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}")
    if precision == "fp32":
        return torch.float32
    if precision == "bf16":
        return torch.bfloat16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
    if device.type == "cpu":
        native = (
            getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
            or getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)()
        )
        return torch.bfloat16 if native else torch.float32
    return torch.float32


def describe_device(device: "torch.device", dtype: "torch.dtype | None" = None, threads: int | None = None) -> str:
    """ "CPU (2 threads), bf16" and the like; ``threads`` when an engine other than torch decodes."""
    import torch

    suffix = ", bf16" if dtype == torch.bfloat16 else ""
    return _describe(device, threads) + suffix


def _describe(device: "torch.device", threads: int | None = None) -> str:
    import torch

    if device.type == "cuda":
        return f"CUDA ({torch.cuda.get_device_name(device)})"
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return describe_cpu(threads or torch.get_num_threads())


def describe_cpu(threads: int) -> str:
    return f"CPU ({threads} thread{'' if threads == 1 else 's'})"


_cpu_threads: int | None = None  # the app's setting, where torch is not loaded to hold it
_blas_threads: int | None = None  # what NumPy's BLAS was last given


def cpu_threads() -> int:
    """The CPU threads decoding uses now: torch's setting once torch is loaded, else the app's
    setting, else every core (what torch and OpenBLAS start with)."""
    if "torch" in sys.modules:
        return sys.modules["torch"].get_num_threads()
    return _cpu_threads or os.cpu_count() or 1


def blas_threads() -> int:
    """The threads NumPy's BLAS decodes with (the NumPy engine's)."""
    return _blas_threads or cpu_threads()


def set_cpu_threads(threads: int) -> None:
    """The app's thread setting, for torch (now or when it is loaded) and NumPy's BLAS alike."""
    global _cpu_threads
    _cpu_threads = max(1, threads)
    apply_cpu_threads()


def apply_cpu_threads() -> None:
    """Give torch (when loaded) and NumPy's BLAS the app's setting; called again once torch is loaded."""
    if _cpu_threads is None:
        return
    if "torch" in sys.modules and sys.modules["torch"].get_num_threads() != _cpu_threads:
        sys.modules["torch"].set_num_threads(_cpu_threads)
    _set_blas(_cpu_threads)


def default_blas_threads() -> None:
    """Where nothing has set the threads (the command line, scripts), NumPy's BLAS leaves a core free,
    as CTranslate2 does (``engine_threads``): OpenBLAS's threads spin-wait for each other, and on
    this 2-core machine beside two training runs a 64-sentence greedy batch took 20 s with 2 threads
    against 3.9 s with 1."""
    if _cpu_threads is None and _blas_threads is None:
        _set_blas(engine_threads(os.cpu_count() or 1))


def _set_blas(threads: int) -> None:
    global _blas_threads
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    threadpool_limits(threads, user_api="blas")
    _blas_threads = threads


def engine_threads(threads: int, cores: int | None = None) -> int:
    """Threads for CTranslate2 given the app's setting: one core is left to the window and the OS.
    Its OpenMP threads wait for each other at every step, so a thread the OS takes away stalls them
    all: on this project's 2-core machine, with a test run beside it, 2 threads decoded a 12-word
    sentence in 30 ms against 7.5 ms with 1 (benchmarks/decode.py)."""
    cores = cores or os.cpu_count() or 1
    return max(1, min(threads, cores - 1))
