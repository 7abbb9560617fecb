"""Training on several processes or machines: PyTorch's ``torchrun`` and ``DistributedDataParallel``.

Nothing here launches processes or averages gradients by hand: ``torchrun`` starts one process per
device and sets ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK`` and the rendezvous address; the process
group is gloo on CPUs and NCCL on CUDA; DDP averages the gradients. What this module adds is who
does what: every rank trains on its share of each global batch, and only rank 0 validates, logs,
writes checkpoints and the best model, and publishes. Without ``torchrun`` (``WORLD_SIZE`` unset),
everything is the plain single process the app and the CLI have always run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class Distributed:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """Rank 0: the one process that writes into the run folder and reports."""
        return self.rank == 0

    def share(self, indices: list[int]) -> tuple[list[int], bool]:
        """This rank's part of a global batch, and whether it is real. A rank left without a pair
        (a last batch smaller than the number of ranks) takes one pair with weight 0, so that every
        rank still runs forward and backward, as DDP requires."""
        mine = indices[self.rank :: self.world_size]
        return (mine, True) if mine else (indices[:1], False)

    def sum(self, values: list[float], device: torch.device) -> list[float]:
        """Element-wise sum over all ranks (one small all-reduce)."""
        if not self.enabled:
            return list(values)
        tensor = torch.tensor(values, dtype=torch.float64, device=device)
        dist.all_reduce(tensor)
        return tensor.tolist()

    def agree(self, flag: bool, device: torch.device) -> bool:
        """Rank 0's decision, on every rank (early stopping, cancelling)."""
        if not self.enabled:
            return flag
        tensor = torch.tensor([1.0 if flag else 0.0], device=device)
        dist.broadcast(tensor, src=0)
        return bool(tensor.item())

    def barrier(self) -> None:
        if self.enabled:
            dist.barrier()

    def close(self) -> None:
        """Leave the process group once every rank is done: a rank that simply exits while gloo's
        threads still run can abort ("terminate called without an active exception")."""
        if self.enabled and dist.is_initialized():
            dist.barrier()
            dist.destroy_process_group()


def from_environment(device: torch.device | None = None) -> Distributed:
    """The ranks ``torchrun`` set up, with the process group joined; a single process otherwise."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size <= 1:
        return Distributed()
    rank = int(os.environ["RANK"])
    local_rank = int(os.environ.get("LOCAL_RANK", rank))
    if not dist.is_initialized():
        cuda = device is not None and device.type == "cuda"
        if cuda:
            torch.cuda.set_device(local_rank)
        dist.init_process_group(backend="nccl" if cuda else "gloo")
    return Distributed(rank, world_size, local_rank)


def rank_device(device: torch.device, distributed: Distributed) -> torch.device:
    """Each rank's own GPU on a CUDA machine (``LOCAL_RANK``); the CPU is shared."""
    if distributed.enabled and device.type == "cuda":
        return torch.device("cuda", distributed.local_rank)
    return device
