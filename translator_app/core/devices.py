"""Pick the compute device: CUDA, then Apple MPS, else CPU, unless the user asks for one."""

from __future__ import annotations

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


def describe_device(device: torch.device) -> str:
    if device.type == "cuda":
        return f"CUDA ({torch.cuda.get_device_name(device)})"
    if device.type == "mps":
        return "Apple GPU (MPS)"
    threads = torch.get_num_threads()
    return f"CPU ({threads} thread{'' if threads == 1 else 's'})"
