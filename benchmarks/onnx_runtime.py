"""ONNX Runtime against the NumPy engine on the default model (issue 32: "choose by measurement").

The encoder and one decoder step are exported with ``torch.onnx.export`` (float32) into a temporary
folder and checked against PyTorch; then both engines decode the same 200 dev sentences (the first
100 of dev_tatoeba and of dev_newstest2013), one sentence at a time, greedy and beam 5, with the
model's shortlist as the app decodes, on one thread, interleaved sentence by sentence. ONNX Runtime
is driven by the package's own search (``core.array_search``, NumPy arrays between steps), so only
the network differs. Fresh processes measure import, load, the first sentence and peak memory.

    python benchmarks/onnx_runtime.py [--model general-lstm-de-en] [--per-set 100] [--fresh 5]

Needs ``pip install onnxruntime onnx`` (a benchmark's dependencies, not the product's). Prints a
table and writes benchmarks/results/onnx_runtime.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from translator_app.core import array_search
from translator_app.core.array_search import Columns, SourceBans
from translator_app.core.catalog import find_model
from translator_app.core.devices import Runtime
from translator_app.core.hypothesis import Hypothesis
from translator_app.core.numpy_engine import NumpyModel, load_numpy_model
from translator_app.core.numpy_engine.network import DecoderState
from translator_app.core.numpy_engine.search import NetworkSteps, NumpyOps
from translator_app.core.paths import DEFAULT_MODEL
from translator_app.core.shortlist_file import candidates, read_shortlist
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, SubwordVocab
from translator_app.core.translator import MAX_SOURCE_SUBWORDS
from translator_app.core.types.modelformat import VOCAB_FILE, WEIGHTS_FILE, read_config
from translator_app.core.types.options import DecodeOptions

ROOT = Path(__file__).resolve().parents[1]
DEV = [ROOT.parent / "shared" / "data" / "general" / f"{name}.de.gz" for name in ("dev_tatoeba", "dev_newstest2013")]
RESULT = ROOT / "benchmarks" / "results" / "onnx_runtime.json"
ENCODER, STEP = "encoder.onnx", "step.onnx"
STEP_INPUTS = ("prev", "hidden", "annotations", "keys", "mask", "out_w", "out_b")
STEP_OUTPUTS = ("log_probs", "new_hidden", "attention", "features")
OPSET = 17


# --- export (the only part that needs torch) -------------------------------------------------------


def export_graphs(folder: Path, out: Path) -> dict[str, Any]:
    """The encoder and one decoder step as ONNX graphs in ``out``, float32.

    The step takes the scored output rows (``out_w`` [C, E], ``out_b`` [C]) as inputs, so the same
    graph serves the whole vocabulary and a shortlist; it also returns the maxout features, which
    search rescores over all subwords for the chosen tokens, as the NumPy engine does. The encoder
    is exported unpacked: it is run on one sentence at a time (no padding), where packing changes
    nothing; the check against PyTorch's packed encoder below holds it to that."""
    import torch
    from torch import nn

    from translator_app.core.modelfile import load_model_folder
    from translator_app.core.models.attention import AttentionState

    model: Any = load_model_folder(folder).model  # float32, eval

    class EncoderGraph(nn.Module):
        def __init__(self, model: Any):
            super().__init__()
            self.model = model  # a submodule, so that its weights become the graph's initializers

        def forward(self, src: torch.Tensor, lengths: torch.Tensor):
            m = self.model
            annotations, (final, _) = m.encoder(m.embedding(src))  # LSTM: (h_n, c_n)
            hidden = torch.tanh(m.init_hidden(torch.cat([final[0], final[1]], -1)))
            mask = torch.arange(src.size(1)).unsqueeze(0) < lengths.clamp(min=1).unsqueeze(1)
            return hidden, annotations, m.attention.keys(annotations), mask

    class StepGraph(nn.Module):
        def __init__(self, model: Any):
            super().__init__()
            self.model = model

        def forward(self, prev, hidden, annotations, keys, mask, out_w, out_b):
            m = self.model
            embedded = m.embedding(prev)
            new_hidden, h, context, alpha = m._step(AttentionState(hidden, annotations, keys, mask), embedded)
            features = m.output(torch.cat([h, context, embedded], -1))
            logits = features @ out_w.t() + out_b
            return logits.log_softmax(-1), new_hidden, alpha, features

    src = torch.tensor([[5, 6, 7, EOS_ID]])
    lengths = torch.tensor([4])
    with torch.no_grad():
        state = model.encode(src, lengths)
    weight, bias = model.embedding.weight.detach().clone(), model.output.bias.detach().clone()
    start = time.perf_counter()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation and its batch-of-one LSTM note
        torch.onnx.export(
            EncoderGraph(model),
            (src, lengths),
            str(out / ENCODER),
            input_names=["src", "lengths"],
            output_names=["hidden", "annotations", "keys", "mask"],
            dynamic_axes={
                "src": {0: "batch", 1: "source"},
                "lengths": {0: "batch"},
                "hidden": {0: "batch"},
                "annotations": {0: "batch", 1: "source"},
                "keys": {0: "batch", 1: "source"},
                "mask": {0: "batch", 1: "source"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
        torch.onnx.export(
            StepGraph(model),
            (torch.tensor([5]), state.hidden, state.annotations, state.keys, state.mask, weight, bias),
            str(out / STEP),
            input_names=list(STEP_INPUTS),
            output_names=list(STEP_OUTPUTS),
            dynamic_axes={
                "prev": {0: "rows"},
                "hidden": {0: "rows"},
                "annotations": {0: "rows", 1: "source"},
                "keys": {0: "rows", 1: "source"},
                "mask": {0: "rows", 1: "source"},
                "out_w": {0: "columns"},
                "out_b": {0: "columns"},
                "log_probs": {0: "rows", 1: "columns"},
                "new_hidden": {0: "rows"},
                "attention": {0: "rows", 1: "source"},
                "features": {0: "rows"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
    seconds = time.perf_counter() - start
    import onnx

    for name in (ENCODER, STEP):
        onnx.checker.check_model(str(out / name))
    return {
        "export_seconds": round(seconds, 2),
        "onnx_mb": round(sum((out / n).stat().st_size for n in (ENCODER, STEP)) / 1e6, 1),
        "safetensors_fp16_mb": round((folder / WEIGHTS_FILE).stat().st_size / 1e6, 1),
    }


def check_against_pytorch(folder: Path, model: "OrtModel", sources: list[list[int]], steps: int) -> dict[str, Any]:
    """Max abs difference of the step's log-probabilities (whole vocabulary) and attention from
    PyTorch's float32 model along PyTorch's greedy path, each side carrying its own state."""
    import torch

    from translator_app.core.modelfile import load_model_folder

    reference: Any = load_model_folder(folder).model
    worst_lp = worst_attention = worst_annotation = 0.0
    compared = 0
    for ids in sources:
        with torch.no_grad():
            state = reference.encode(torch.tensor([ids]), torch.tensor([len(ids)]))
        ort_state = model.encode(np.array([ids], np.int64), np.array([len(ids)], np.int64))
        worst_annotation = max(worst_annotation, float(np.abs(ort_state.annotations - state.annotations.numpy()).max()))
        prev = torch.tensor([BOS_ID])
        for _ in range(steps):
            with torch.no_grad():
                logits, state, alpha = reference.decode_step(state, prev)
            expected = logits.log_softmax(-1).numpy()
            lp, ort_state, attention, _ = model.step(ort_state, prev.numpy(), model.embedding, model.output_bias)
            worst_lp = max(worst_lp, float(np.abs(lp - expected).max()))
            worst_attention = max(worst_attention, float(np.abs(attention - alpha.numpy()).max()))
            compared += 1
            prev = logits.argmax(-1)
            if int(prev) == EOS_ID:
                break
    return {
        "sentences": len(sources),
        "steps": compared,
        "max_abs_log_prob": worst_lp,
        "max_abs_attention": worst_attention,
        "max_abs_annotation": worst_annotation,
    }


# --- the ONNX Runtime engine: the exported graphs under the package's search -----------------------


@dataclass
class OrtModel:
    """What an ONNX Runtime engine holds: two sessions, and from the model folder what the NumPy
    engine reads too (vocabulary, shortlist, the tied output layer for the full-vocabulary rescoring)."""

    encoder: Any  # onnxruntime.InferenceSession
    step_session: Any
    vocab: SubwordVocab
    shortlist: tuple[np.ndarray, np.ndarray] | None
    embedding: np.ndarray  # [V, E] float32
    output_bias: np.ndarray  # [V]

    @property
    def vocab_size(self) -> int:
        return int(self.embedding.shape[0])

    def encode(self, src: np.ndarray, lengths: np.ndarray) -> DecoderState:
        if len(src) != 1 and len(set(lengths.tolist())) != 1:
            raise ValueError("the exported encoder is unpacked: one sentence (or equal lengths) at a time")
        hidden, annotations, keys, mask = self.encoder.run(None, {"src": src, "lengths": lengths})
        return DecoderState(hidden, annotations, keys, mask)

    def step(
        self, state: DecoderState, prev: np.ndarray, out_w: np.ndarray, out_b: np.ndarray
    ) -> tuple[np.ndarray, DecoderState, np.ndarray, np.ndarray]:
        feeds = dict(zip(STEP_INPUTS, (prev, state.hidden, state.annotations, state.keys, state.mask, out_w, out_b)))
        log_probs, hidden, attention, features = self.step_session.run(None, feeds)
        return log_probs, DecoderState(hidden, state.annotations, state.keys, state.mask), attention, features


def load_ort(folder: Path, graphs: Path, threads: int) -> OrtModel:
    import onnxruntime as ort
    from safetensors import safe_open

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    providers = ["CPUExecutionProvider"]
    encoder = ort.InferenceSession(str(graphs / ENCODER), options, providers=providers)
    step = ort.InferenceSession(str(graphs / STEP), options, providers=providers)
    vocab = SubwordVocab.from_file(folder / VOCAB_FILE)
    with safe_open(str(folder / WEIGHTS_FILE), framework="numpy") as f:
        embedding = f.get_tensor("embedding.weight").astype(np.float32)
        bias = f.get_tensor("output.bias").astype(np.float32)
    return OrtModel(encoder, step, vocab, read_shortlist(folder, len(vocab)), embedding, bias)


class OrtSteps(NetworkSteps):
    """``array_search.StepModel`` over the ONNX Runtime sessions; the features each step returns
    feed the inherited full-vocabulary rescoring (``NetworkSteps.full_scores``)."""

    def __init__(self, model: OrtModel, ids: np.ndarray | None):
        self.net = model  # type: ignore[assignment]  # full_scores reads embedding, output_bias, vocab_size
        self.model = model
        self.out_w = np.ascontiguousarray(model.embedding if ids is None else model.embedding[ids])
        self.out_b = np.ascontiguousarray(model.output_bias if ids is None else model.output_bias[ids])
        self.features = []

    def encode(self, src: np.ndarray, src_lengths: np.ndarray) -> DecoderState:
        return self.model.encode(src, src_lengths)

    def step(self, state: DecoderState, prev: np.ndarray) -> tuple[np.ndarray, DecoderState, np.ndarray]:
        log_probs, state, attention, features = self.model.step(state, prev, self.out_w, self.out_b)
        self.features.append(features)
        return log_probs, state, attention

    def expand(self, state: DecoderState, rows: np.ndarray) -> DecoderState:
        return DecoderState(state.hidden[rows], state.annotations[rows], state.keys[rows], state.mask[rows])

    def reorder(self, state: DecoderState, rows: np.ndarray) -> DecoderState:
        return DecoderState(state.hidden[rows], state.annotations, state.keys, state.mask)


def ort_search(
    model: OrtModel, sources: Sequence[Sequence[int]], options: DecodeOptions, banned: Sequence[Sequence[int]]
) -> list[list[Hypothesis]]:
    """As ``NumpyModel.search`` with the shortlist: the same columns, bans and search."""
    ops = NumpyOps()
    lengths = np.array([len(s) for s in sources], np.int64)
    src = np.full((len(sources), int(lengths.max())), PAD_ID, np.int64)
    for row, ids in enumerate(sources):
        src[row, : len(ids)] = ids
    shortlist_ids = None
    if model.shortlist is not None:
        shortlist_ids = candidates(*model.shortlist, np.array([i for s in sources for i in s], np.int64))
    columns = Columns(ops, shortlist_ids)
    bans = SourceBans(ops, banned, columns) if any(banned) else None
    steps = OrtSteps(model, shortlist_ids)
    return array_search.run(steps, ops, src, lengths, options.validated(), columns, bans, steps.full_scores)


# --- inputs ----------------------------------------------------------------------------------------


def dev_sentences(per_set: int) -> list[str]:
    sentences = []
    for path in DEV:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            sentences += [line.strip() for _, line in zip(range(per_set), f)]
    return sentences


def source_ids(vocab: SubwordVocab, sentence: str) -> tuple[list[int], tuple[int, ...]]:
    """A sentence's source ids as the Translator builds them (cut at its limit, EOS added), and the
    placeholders it must not produce (all it lacks)."""
    ids = vocab.encode(sentence)[:MAX_SOURCE_SUBWORDS] + [EOS_ID]
    return ids, tuple(p for p in vocab.placeholder_ids if p not in set(ids))


def options_for(folder: Path, beam: int) -> DecodeOptions:
    """The model's default decoding (beam 5, its length penalty), or greedy."""
    defaults = {
        k: v for k, v in read_config(folder).get("default_decoding", {}).items() if k in DecodeOptions.__dataclass_fields__
    }
    return DecodeOptions(**(defaults | {"beam_width": beam}))


# --- fresh processes: import, load, first sentence, peak memory -------------------------------------


def worker(engine: str, folder: Path, graphs: Path, sentences: list[str], threads: int, launched: float) -> dict[str, Any]:
    """In a fresh process: load one engine, translate ``sentences`` (beam 5) one at a time; the
    first translation's time is also counted from the moment the parent launched this process."""
    options = options_for(folder, 5)
    start = time.perf_counter()
    if engine == "onnxruntime":
        ort_model = load_ort(folder, graphs, threads)  # imports onnxruntime
        vocab = ort_model.vocab

        def translate(ids: list[int], ban: tuple[int, ...]) -> list[list[Hypothesis]]:
            return ort_search(ort_model, [ids], options, [ban])
    else:
        numpy_model = load_numpy_model(folder, Runtime("cpu", threads))
        vocab = numpy_model.vocab

        def translate(ids: list[int], ban: tuple[int, ...]) -> list[list[Hypothesis]]:
            return numpy_model.search([ids], options, [ban], True)

    loaded = time.perf_counter() - start
    times, first_after_launch = [], 0.0
    for sentence in sentences:
        ids, ban = source_ids(vocab, sentence)
        start = time.perf_counter()
        translate(ids, ban)
        times.append(time.perf_counter() - start)
        first_after_launch = first_after_launch or time.time() - launched
    return {
        "load_seconds": loaded,
        "first_sentence_seconds": times[0],
        "launch_to_first_seconds": first_after_launch,
        "peak_rss_mb": peak_rss_mb(),
        "getrusage_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch_imported": "torch" in sys.modules,
        "onnxruntime_imported": "onnxruntime" in sys.modules,
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). ``getrusage``'s ru_maxrss is kept too, but it is
    not this process's own: Linux carries the launching process's peak across fork and exec into
    it (here the parent, holding torch and both engines: it reads the same for both engines)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh(engine: str, folder: Path, graphs: Path, sentences: int, threads: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", engine, "--model", str(folder), "--graphs", str(graphs)]
    command += ["--per-set", str(sentences), "--threads", str(threads), "--launched", repr(time.time())]
    env = os.environ | {"OMP_NUM_THREADS": str(threads)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise RuntimeError(f"{engine} worker failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_seconds(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}" if module else "pass"], check=True)
    return time.perf_counter() - start


def installed_mb(package: str) -> float:
    """A package's folder in site-packages, with its bundled libraries folder (numpy.libs) if any."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return 0.0
    base = Path(spec.origin).parent
    folders = [base, base.parent / f"{package.split('.')[-1]}.libs"]
    return round(sum(f.stat().st_size for d in folders if d.is_dir() for f in d.rglob("*") if f.is_file()) / 1e6, 1)


# --- the in-process comparison ----------------------------------------------------------------------


def compare(
    engines: dict[str, Callable[[list[list[int]], list[tuple[int, ...]]], list[list[Hypothesis]]]],
    inputs: list[tuple[list[int], tuple[int, ...]]],
) -> dict[str, Any]:
    """Each sentence through every engine, the order alternating from sentence to sentence."""
    names = list(engines)
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, float] = {n: 0.0 for n in names}  # process CPU time: one thread keeps it at or under the wall time
    outputs: dict[str, list[list[int]]] = {n: [] for n in names}
    for index, (ids, ban) in enumerate(inputs):
        for name in names if index % 2 == 0 else names[::-1]:
            start, start_cpu = time.perf_counter(), time.process_time()
            found = engines[name]([ids], [ban])
            times[name].append(time.perf_counter() - start)
            cpu[name] += time.process_time() - start_cpu
            outputs[name].append(found[0][0].token_ids if found[0] else [])
    same = sum(a == b for a, b in zip(*outputs.values()))
    return {
        "sentences": len(inputs),
        "identical": same,
        "agreement": round(same / len(inputs), 4),
        "first_differing": [i for i, (a, b) in enumerate(zip(*outputs.values())) if a != b][:10],
        "engines": {
            n: {
                "median_ms": round(1000 * statistics.median(t), 2),
                "sentences_per_s": round(len(t) / sum(t), 2),
                "total_s": round(sum(t), 2),
                "cpu_s": round(cpu[n], 2),
            }
            for n, t in times.items()
        },
    }


def median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--per-set", type=int, default=100, help="sentences from each dev set (a worker: sentences)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--fresh", type=int, default=5, help="fresh processes per engine (import, load, memory)")
    parser.add_argument("--check", type=int, default=5, help="sentences checked against PyTorch")
    parser.add_argument("--worker", choices=["onnxruntime", "numpy"], help=argparse.SUPPRESS)
    parser.add_argument("--graphs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = find_model(args.model)
    if args.worker:
        sentences = dev_sentences(args.per_set)[: args.per_set]
        print(json.dumps(worker(args.worker, folder, args.graphs, sentences, args.threads, args.launched)))
        return
    try:
        import onnxruntime
    except ImportError:
        sys.exit("onnxruntime is not installed: pip install onnxruntime onnx (a benchmark's dependencies only)")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        graphs = Path(tmp)
        export = export_graphs(folder, graphs)
        print(
            f"exported in {export['export_seconds']} s: {export['onnx_mb']} MB of ONNX (fp16 safetensors: {export['safetensors_fp16_mb']} MB)"
        )
        numpy_model: NumpyModel = load_numpy_model(folder, Runtime("cpu", args.threads))
        ort_model = load_ort(folder, graphs, args.threads)
        sentences = dev_sentences(args.per_set)
        inputs = [source_ids(numpy_model.vocab, s) for s in sentences]
        check = check_against_pytorch(
            folder, ort_model, [ids for ids, _ in inputs[:: max(1, len(inputs) // args.check)][: args.check]], 40
        )
        print(f"against PyTorch: max |Δ log-prob| {check['max_abs_log_prob']:.2e} over {check['steps']} steps")

        # Everything measured below runs interleaved: engine against engine, turn by turn.
        imports: dict[str, list[float]] = {"python": [], "numpy": [], "onnxruntime": []}
        loads: dict[str, list[float]] = {"numpy": [], "onnxruntime": []}
        for _ in range(5):
            for module in imports:
                imports[module].append(import_seconds("" if module == "python" else module))
            start = time.perf_counter()
            load_numpy_model(folder, Runtime("cpu", args.threads))
            loads["numpy"].append(time.perf_counter() - start)
            start = time.perf_counter()
            load_ort(folder, graphs, args.threads)
            loads["onnxruntime"].append(time.perf_counter() - start)
        decoding = {}
        for label, beam in (("greedy", 1), ("beam5", 5)):
            options = options_for(folder, beam)
            engines = {
                "onnxruntime": lambda s, b, o=options: ort_search(ort_model, s, o, b),
                "numpy": lambda s, b, o=options: numpy_model.search(s, o, b, True),
            }
            decoding[label] = compare(engines, inputs)
            print(f"{label}: {decoding[label]['identical']}/{len(inputs)} identical")
        processes: dict[str, list[dict[str, Any]]] = {"numpy": [], "onnxruntime": []}
        for _ in range(args.fresh):
            for engine in processes:
                processes[engine].append(fresh(engine, folder, graphs, 20, args.threads))

    report = {
        "model": args.model,
        "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs, under load (a training run and other work)",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "threads": args.threads,
        "onnxruntime_version": onnxruntime.__version__,
        "numpy_version": np.__version__,
        "export": export,
        "against_pytorch_fp32": check,
        "import_seconds_median": {m: round(statistics.median(t), 3) for m, t in imports.items()},
        "load_seconds_median": {e: round(statistics.median(t), 3) for e, t in loads.items()},
        "decoding": decoding,
        "fresh_process": {
            engine: {
                "runs": len(rows),
                "launch_to_first_seconds": round(median(rows, "launch_to_first_seconds"), 3),
                "load_seconds": round(median(rows, "load_seconds"), 3),
                "first_sentence_seconds": round(median(rows, "first_sentence_seconds"), 3),
                "peak_rss_mb": round(median(rows, "peak_rss_mb"), 1),
                "torch_imported": any(r["torch_imported"] for r in rows),
                "onnxruntime_imported": any(r["onnxruntime_imported"] for r in rows),
            }
            for engine, rows in processes.items()
        },
        "installed_mb": {
            "numpy": installed_mb("numpy"),
            "onnxruntime": installed_mb("onnxruntime"),
            "onnxruntime_dependencies": {name: installed_mb(name) for name in ("google.protobuf", "flatbuffers")},
        },
    }
    print_table(report)
    RESULT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULT.relative_to(ROOT)}")


def table_rows(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, ONNX Runtime, NumPy engine), as printed and as in docs/results.md."""
    imports, fresh_ = report["import_seconds_median"], report["fresh_process"]
    rows = [
        (
            "import (fresh `python -c`, minus bare Python)",
            f"{imports['onnxruntime'] - imports['python']:.3f} s",
            f"{imports['numpy'] - imports['python']:.3f} s",
        ),
        (
            "load (sessions or weights, vocabulary, shortlist)",
            f"{report['load_seconds_median']['onnxruntime']:.3f} s",
            f"{report['load_seconds_median']['numpy']:.3f} s",
        ),
        (
            "first sentence, fresh process (beam 5)",
            f"{fresh_['onnxruntime']['first_sentence_seconds']:.3f} s",
            f"{fresh_['numpy']['first_sentence_seconds']:.3f} s",
        ),
        (
            "launch to first translation, fresh process",
            f"{fresh_['onnxruntime']['launch_to_first_seconds']:.2f} s",
            f"{fresh_['numpy']['launch_to_first_seconds']:.2f} s",
        ),
    ]
    for label in ("greedy", "beam5"):
        d = report["decoding"][label]
        o, n = d["engines"]["onnxruntime"], d["engines"]["numpy"]
        rows.append((f"{label}: median per sentence", f"{o['median_ms']:.1f} ms", f"{n['median_ms']:.1f} ms"))
        rows.append((f"{label}: sentences/s", f"{o['sentences_per_s']:.1f}", f"{n['sentences_per_s']:.1f}"))
        rows.append((f"{label}: CPU time, {d['sentences']} sentences", f"{o['cpu_s']:.2f} s", f"{n['cpu_s']:.2f} s"))
        rows.append((f"{label}: identical outputs", f"{d['identical']}/{d['sentences']}", ""))
    rows.append(
        (
            "peak RSS, fresh process (load + 20 sentences)",
            f"{fresh_['onnxruntime']['peak_rss_mb']:.0f} MB",
            f"{fresh_['numpy']['peak_rss_mb']:.0f} MB",
        )
    )
    installed = report["installed_mb"]
    extra = sum(installed["onnxruntime_dependencies"].values())
    rows.append(
        ("installed size", f"{installed['onnxruntime']:.1f} MB + {extra:.1f} MB deps (+ NumPy)", f"{installed['numpy']:.1f} MB")
    )
    rows.append(
        (
            "model files read",
            f"{report['export']['onnx_mb']} MB ONNX fp32 (+ export step)",
            f"{report['export']['safetensors_fp16_mb']} MB fp16",
        )
    )
    return rows


def print_table(report: dict[str, Any]) -> None:
    rows = [("measure", "ONNX Runtime", "NumPy engine"), *table_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))


if __name__ == "__main__":
    main()
