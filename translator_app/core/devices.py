"""Pick the compute device: CUDA, then Apple MPS, else CPU, unless the user asks for one."""

from __future__ import annotations

import os

import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps", "gpu")


def resolve_device(requested: str = "auto") -> torch.device:
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


def inference_dtype(device: torch.device, precision: str = "auto") -> torch.dtype:
    """The dtype to run a model in. "auto" picks bf16 on a CPU with native bf16 instructions:
    decoding reads every weight once per step, so half the bytes is nearly half the time, and the
    model's BLEU is unchanged (measured in benchmarks/decode.py)."""
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


def describe_device(device: torch.device, dtype: torch.dtype | None = None, threads: int | None = None) -> str:
    """ "CPU (2 threads), bf16" and the like; ``threads`` when an engine other than torch decodes."""
    suffix = ", bf16" if dtype == torch.bfloat16 else ""
    return _describe(device, threads) + suffix


def _describe(device: torch.device, threads: int | None = None) -> str:
    if device.type == "cuda":
        return f"CUDA ({torch.cuda.get_device_name(device)})"
    if device.type == "mps":
        return "Apple GPU (MPS)"
    threads = threads or torch.get_num_threads()
    return f"CPU ({threads} thread{'' if threads == 1 else 's'})"


def engine_threads(threads: int, cores: int | None = None) -> int:
    """Threads for CTranslate2 given the app's setting: one core is left to the window and the OS.
    Its OpenMP threads wait for each other at every step, so a thread the OS takes away stalls them
    all: on this project's 2-core machine, with a test run beside it, 2 threads decoded a 12-word
    sentence in 30 ms against 7.5 ms with 1 (benchmarks/decode.py)."""
    cores = cores or os.cpu_count() or 1
    return max(1, min(threads, cores - 1))
