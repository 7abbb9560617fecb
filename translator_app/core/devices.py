"""Pick the compute device: CUDA, then Apple MPS, else CPU, unless the user asks for one; and the
one thread policy (``resolve_runtime``), whose ``Runtime`` every engine is given and applies: PyTorch's
threads, CTranslate2's, NumPy's BLAS's. torch is imported only by the functions that are about
torch, so the NumPy engine's path never loads it."""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translator_app.core.types.options import Limit
from translator_app.core.types.errors import InvalidInput

if TYPE_CHECKING:
    import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps", "gpu")


def resolve_device(requested: str = "auto") -> "torch.device":
    import torch

    requested = check_device(requested)
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if requested in ("auto", "gpu"):
        if cuda:
            return torch.device("cuda")
        if mps:
            return torch.device("mps")
        if requested == "gpu":
            raise InvalidInput("no GPU is available (neither CUDA nor Apple MPS); use the CPU")
        return torch.device("cpu")
    if requested.startswith("cuda") and not cuda:
        raise InvalidInput("CUDA was requested but no CUDA GPU is available")
    if requested == "mps" and not mps:
        raise InvalidInput("Apple MPS was requested but is not available on this machine")
    return torch.device(requested)


PRECISIONS = ("auto", "fp32", "bf16")


def inference_dtype(device: "torch.device", precision: str = "auto") -> "torch.dtype":
    """The dtype to run a model in. "auto" picks bf16 on a CPU with native bf16 instructions:
    decoding reads every weight once per step, so half the bytes is nearly half the time, and the
    model's BLEU is unchanged (measured in benchmarks/decode.py)."""
    import torch

    if precision not in PRECISIONS:
        raise InvalidInput(f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}")
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


THREADS = Limit(0, 256, "CPU threads (0 = automatic)")  # the setting's range: the CLI's --threads, the window's


@dataclass(frozen=True)
class Runtime:
    """Where a model runs and on how many CPU threads, handed to the ``Translator`` and each engine,
    which apply it themselves: no engine reads torch's process-wide setting back to pick its count.
    ``device`` is a name (``DEVICE_CHOICES`` or "cuda:N"), so building one never imports torch."""

    device: str = "cpu"
    threads: int = 1  # a count: ``resolve_runtime`` has already resolved "automatic"

    def __post_init__(self) -> None:
        if not (isinstance(self.threads, int) and 1 <= self.threads <= THREADS.high):
            raise InvalidInput(f"a runtime needs 1 to {THREADS.high:g} CPU threads, not {self.threads!r}")
        check_device(self.device)


@dataclass(frozen=True)
class CpuCores:
    """What the automatic thread count is taken from."""

    usable: int  # one per physical core we may run on, or OMP_NUM_THREADS where set (as torch's own default)
    logical: int  # hardware threads we may run on


def resolve_runtime(device: str = "auto", threads: int = 0, cores: CpuCores | None = None) -> Runtime:
    """The one thread policy: ``threads`` as the user set it (``THREADS``; 0 = automatic) into a Runtime.

    Automatic is one thread per physical core, less one on machines with no spare hardware thread:
    keeping a core for the window and the OS matters more than it seems. OpenMP's and OpenBLAS's
    threads wait for each other at every step, so a thread the OS takes away stalls them all: on a
    2-core laptop with a busy browser a 2-sentence translation went from 0.1 s to 2 s, and on this
    project's 2-core machine with a test run beside it CTranslate2 decoded a 12-word sentence in
    30 ms on 2 threads against 7.5 ms on 1 (benchmarks/decode.py). An explicit count is taken as it is.
    """
    if not THREADS.admits(threads):
        raise InvalidInput(THREADS.message() + f", not {threads!r}")
    if threads == 0:
        cores = cores or cpu_cores()
        threads = max(1, min(cores.usable, cores.logical - 1))
    return Runtime(check_device(device), threads)


def check_device(device: str) -> str:
    """``device`` in lower case, or ValueError naming the choices (torch-free: it only reads the name)."""
    name = (device or "auto").lower()
    if name not in DEVICE_CHOICES and not re.fullmatch(r"cuda:\d+", name):
        raise InvalidInput(f"unknown device {device!r}; choose one of {', '.join(DEVICE_CHOICES)}")
    return name


@functools.cache
def cpu_cores() -> CpuCores:
    """This process's cores, counted once, without torch."""
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else list(range(os.cpu_count() or 1))
    logical = max(1, len(allowed))
    physical = min(_physical_cores(allowed) or logical, logical)
    omp = os.environ.get("OMP_NUM_THREADS", "").strip()
    usable = int(omp) if omp.isdigit() and int(omp) > 0 else physical
    return CpuCores(usable, logical)


def _physical_cores(cpus: list[int]) -> int | None:
    """Distinct (package, core) pairs among ``cpus`` where the OS says (Linux sysfs, macOS sysctl), else None."""
    if sys.platform == "darwin":
        import ctypes

        value, size = ctypes.c_int(0), ctypes.c_size_t(ctypes.sizeof(ctypes.c_int))
        libc = ctypes.CDLL(None)
        if libc.sysctlbyname(b"hw.physicalcpu", ctypes.byref(value), ctypes.byref(size), None, 0) == 0:
            return value.value or None
        return None
    cores = set()
    for cpu in cpus:
        topology = Path(f"/sys/devices/system/cpu/cpu{cpu}/topology")
        try:
            cores.add(((topology / "physical_package_id").read_text().strip(), (topology / "core_id").read_text().strip()))
        except OSError:
            return None
    return len(cores) or None


def apply_torch_threads(threads: int) -> None:
    """torch's intra-op threads (process-wide), set only when they differ: setting rebuilds OpenMP's pool."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def apply_blas_threads(threads: int) -> None:
    """NumPy's BLAS threads (process-wide; the NumPy engine's), set only where they differ: a
    ``threadpool_limits`` call scans the loaded libraries, about 1 ms, as long as a short greedy step."""
    for lib in _blas_libraries():
        if lib.num_threads != threads:
            lib.set_num_threads(threads)


@functools.cache
def _blas_libraries() -> list:
    """NumPy's BLAS (numpy imported first, so that it is loaded to be found)."""
    import numpy  # noqa: F401
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]
