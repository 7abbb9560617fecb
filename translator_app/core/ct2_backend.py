"""CTranslate2 as the inference engine for Transformer models, converted from our own weights.

At batch 1 the PyTorch decode of a small Transformer is bound by per-op overhead (about 180 torch
ops per output step, a third of the time in Python), not by arithmetic. CTranslate2 (the engine
behind Argos Translate) runs the same network as fused C++ kernels, in int8 or fp32. The PyTorch
model stays the reference: it is what training, fine-tuning and the attention view's hover use,
and the fallback whenever the ``ctranslate2`` package is missing or a model has no converted copy.

``convert`` writes ``ct2/`` into a model folder weight for weight (fused q/k/v, the tied embedding
as the output projection with its bias, our interleaved sinusoids as a fixed position table), with
the model's SentencePiece pieces as its vocabulary, so both engines read the same token ids.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from translator_app.core import ct2_cache
from translator_app.core.atomic import PARTIAL, replace_folder, temp_sibling
from translator_app.core.array_search import output_limits
from translator_app.core.devices import Runtime, describe_device
from translator_app.core.modelfile import LoadedModel
from translator_app.core.types.modelformat import WEIGHTS_FILE
from translator_app.core.types.options import ENGINES, DecodeOptions
from translator_app.core.paths import user_cache_dir
from translator_app.core.hypothesis import Hypothesis, length_normalise
from translator_app.core.text import BOS_ID, EOS_ID, PAD_ID, UNK_ID, SubwordVocab
from translator_app.core.types.errors import InvalidInput

CT2_DIR = "ct2"
COMPUTE_TYPE = "int8"  # measured in benchmarks/ct2.py: the fastest on CPU, BLEU within 0.3 of fp32
CONVERTER_VERSION = 1  # bump when ``convert`` changes, so cached conversions are made again
log = logging.getLogger(__name__)
POSITIONS = 1100  # > the longest source (MAX_SOURCE_SUBWORDS) and output (DecodeOptions' cap) the app runs


def available() -> bool:
    """Whether the optional ``ctranslate2`` package is installed."""
    return importlib.util.find_spec("ctranslate2") is not None


def convert(model, vocab: SubwordVocab, folder: Path, source: ct2_cache.Source | None = None) -> Path:
    """Write ``folder/ct2`` for a ``TransformerSeq2Seq`` (fp32 weights; quantised when loaded), with
    the manifest of ``source`` (``core.ct2_cache``) inside it before it is renamed into place."""
    from ctranslate2.specs import common_spec, transformer_spec

    from translator_app.core.models.transformer import sinusoidal_positions

    c = model.config
    spec = transformer_spec.TransformerSpec.from_config(
        (c.encoder_layers, c.decoder_layers),
        c.num_heads,
        pre_norm=c.pre_norm,
        activation=common_spec.Activation.RELU,
        alignment_layer=-1,
        alignment_heads=0,
    )  # 0: all heads averaged, as ours
    state = {name: tensor.detach().float().cpu().numpy() for name, tensor in model.state_dict().items()}
    positions = sinusoidal_positions(torch.arange(POSITIONS), model.inv_freq).numpy()

    def linear(target, prefix: str) -> None:
        target.weight, target.bias = state[f"{prefix}.weight"], state[f"{prefix}.bias"]

    def fused(target, prefixes: Sequence[str]) -> None:
        target.weight = np.concatenate([state[f"{p}.weight"] for p in prefixes])
        target.bias = np.concatenate([state[f"{p}.bias"] for p in prefixes])

    def norm(target, prefix: str) -> None:
        target.gamma, target.beta = state[f"{prefix}.weight"], state[f"{prefix}.bias"]

    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = state["embedding.weight"]
    decoder.embeddings.weight = state["embedding.weight"]
    encoder.position_encodings.encodings = positions
    decoder.position_encodings.encodings = positions
    encoder.scale_embeddings = decoder.scale_embeddings = True  # × sqrt(d), as ours
    if c.pre_norm:
        norm(encoder.layer_norm, "encoder_norm")
        norm(decoder.layer_norm, "decoder_norm")
    decoder.projection.weight, decoder.projection.bias = state["embedding.weight"], state["output_bias"]
    for i, layer in enumerate(encoder.layer):
        p = f"encoder_layers.{i}"
        fused(layer.self_attention.linear[0], [f"{p}.self_attn.q_proj", f"{p}.self_attn.kv_proj"])
        linear(layer.self_attention.linear[1], f"{p}.self_attn.out_proj")
        norm(layer.self_attention.layer_norm, f"{p}.norm1")
        linear(layer.ffn.linear_0, f"{p}.ff.0")
        linear(layer.ffn.linear_1, f"{p}.ff.2")
        norm(layer.ffn.layer_norm, f"{p}.norm2")
    for i, layer in enumerate(decoder.layer):
        p = f"decoder_layers.{i}"
        fused(layer.self_attention.linear[0], [f"{p}.self_attn.q_proj", f"{p}.self_attn.kv_proj"])
        linear(layer.self_attention.linear[1], f"{p}.self_attn.out_proj")
        norm(layer.self_attention.layer_norm, f"{p}.norm1")
        linear(layer.attention.linear[0], f"{p}.cross_attn.q_proj")
        linear(layer.attention.linear[1], f"{p}.cross_attn.kv_proj")
        linear(layer.attention.linear[2], f"{p}.cross_attn.out_proj")
        norm(layer.attention.layer_norm, f"{p}.norm2")
        linear(layer.ffn.linear_0, f"{p}.ff.0")
        linear(layer.ffn.linear_1, f"{p}.ff.2")
        norm(layer.ffn.layer_norm, f"{p}.norm3")
    pieces = vocab.pieces(range(len(vocab)))
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    special = vocab.pieces([UNK_ID, BOS_ID, EOS_ID])
    spec.config.unk_token, spec.config.bos_token, spec.config.eos_token = special
    spec.config.decoder_start_token = special[1]
    spec.config.layer_norm_epsilon = 1e-5  # torch's LayerNorm default
    spec.validate()
    spec.optimize(quantization=None)

    target = Path(folder) / CT2_DIR
    tmp = temp_sibling(target, PARTIAL)
    try:
        tmp.mkdir()
        spec.save(str(tmp))
        if source is not None:
            ct2_cache.write_manifest(tmp, source)
        replace_folder(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def engine_folder(model_folder: Path, weights_file: Path, source: ct2_cache.Source | None = None) -> Path:
    """Where the model's conversion lives: ``ct2/`` in its own folder when it ships one that
    verifies, else the user's cache, keyed by the weights' content (``core.ct2_cache``)."""
    own = Path(model_folder)
    source = source or ct2_cache.source_of(weights_file, CONVERTER_VERSION)
    if ct2_cache.problem(own / CT2_DIR, source) is None:
        return own
    return user_cache_dir() / "engines" / f"{own.name}-{source.key()}"


class Ct2Engine:
    """A converted Transformer loaded into CTranslate2, decoding id sequences as ``core.search`` does
    and answering in its ``Hypothesis`` (token log-probabilities from CTranslate2's own scoring,
    GNMT-normalised scores, the last layer's head-averaged cross-attention): a ``core.engine.Engine``."""

    has_attention = True  # only Transformers run on it, and each has cross-attention

    def __init__(self, folder: Path, vocab: SubwordVocab, compute_type: str = COMPUTE_TYPE, *, runtime: Runtime):
        self.folder = Path(folder)
        self.compute_type = compute_type
        self._pieces = vocab.pieces(range(len(vocab)))
        self._ids = {piece: i for i, piece in enumerate(self._pieces)}
        self._threads = 0
        self._translator = None
        self.runtime = runtime

    @property
    def runtime(self) -> Runtime:
        return self._runtime

    @runtime.setter
    def runtime(self, runtime: Runtime) -> None:
        """Its threads are CTranslate2's intra_threads: a new count (Preferences) makes the translator again."""
        self._runtime = runtime
        self._engine()

    @property
    def threads(self) -> int:
        """The intra_threads its CTranslate2 translator was made with."""
        return self._threads

    def _engine(self):
        """The CTranslate2 translator, made again when the runtime's threads changed."""
        threads = self._runtime.threads
        if self._translator is None or threads != self._threads:
            import ctranslate2

            self._translator = ctranslate2.Translator(
                str(self.folder / CT2_DIR), device="cpu", compute_type=self.compute_type, inter_threads=1, intra_threads=threads
            )
            self._threads = threads
        return self._translator

    @property
    def name(self) -> str:
        return f"CTranslate2 {self.compute_type}"

    @property
    def dtype(self) -> str:
        return self.compute_type

    def describe(self) -> str:
        return f"{describe_device(torch.device('cpu'), threads=self.threads)}, {self.name}"

    def search(
        self, sources: Sequence[Sequence[int]], options: DecodeOptions, banned: Sequence[Sequence[int]], use_shortlist: bool
    ) -> list[list[Hypothesis]]:
        """``core.engine.Engine.search``: one ``decode`` per set of banned ids, since CTranslate2 bans
        ids for a whole batch; it has no shortlist."""
        groups: dict[tuple[int, ...], list[int]] = {}
        for index, ban in enumerate(banned):
            groups.setdefault(tuple(ban), []).append(index)
        found: list[list[Hypothesis]] = [[] for _ in sources]
        for ban, members in groups.items():
            group = [sources[i] for i in members]
            limits = output_limits([max(len(s), 1) for s in group], options)
            for i, hyps in zip(members, self.decode(group, limits, options, self.has_attention, ban)):
                found[i] = hyps
        return found

    def decode(
        self,
        sources: Sequence[Sequence[int]],
        limits: Sequence[int],
        options: DecodeOptions,
        with_attention: bool,
        suppress: Sequence[int] = (),
    ) -> list[list[Hypothesis]]:
        """Hypotheses per source (ids ending with EOS), best first; ``limits`` caps each output in
        subwords; no output holds an id of ``suppress`` (for all of the batch: CTranslate2 has no
        per-source ban, so callers group the sources by what they ban)."""
        options = options.checked()
        engine = self._engine()
        tokens = [[self._pieces[i] for i in src] for src in sources]
        greedy = options.beam_width == 1
        stepped: dict[int, list[float]] = {i: [] for i in range(len(sources))}

        def record(step) -> bool:  # greedy: each token's log-probability as it is chosen
            stepped[step.batch_id].append(float(step.log_prob))
            return False

        results = engine.translate_batch(
            tokens,
            beam_size=options.beam_width,
            num_hypotheses=options.n_best,
            length_penalty=options.length_penalty,
            no_repeat_ngram_size=options.no_repeat_ngram_size,
            disable_unk=True,
            suppress_sequences=[[self._pieces[i]] for i in (PAD_ID, BOS_ID, *suppress)],
            max_decoding_length=max(limits) + 1,
            return_attention=with_attention,
            return_scores=greedy,
            callback=record if greedy else None,
        )  # the callback's log-probabilities need scores
        outputs = [
            (i, rank, [self._ids[p] for p in hyp][: limits[i]], len(hyp) < limits[i])  # else the limit cut it
            for i, result in enumerate(results)
            for rank, hyp in enumerate(result.hypotheses)
        ]
        # Beam hypotheses, and outputs the limit cut (whose end is forced, as search forces it), are
        # scored in one more pass: CTranslate2 reports their token log-probabilities only that way.
        rescore = [
            k for k, (i, _, ids, ended) in enumerate(outputs) if not (greedy and ended and len(stepped[i]) == len(ids) + 1)
        ]
        scored = (
            dict(
                zip(
                    rescore,
                    engine.score_batch(
                        [tokens[outputs[k][0]] for k in rescore], [[self._pieces[t] for t in outputs[k][2]] for k in rescore]
                    ),
                )
            )
            if rescore
            else {}
        )
        found: list[list[Hypothesis]] = [[] for _ in sources]
        for k, (i, rank, ids, ended) in enumerate(outputs):
            token_ids = ids + [EOS_ID]
            log_probs = [float(x) for x in scored[k].log_probs][: len(token_ids)] if k in scored else stepped[i]
            total = float(sum(log_probs))
            attention = None
            if with_attention and results[i].attention:
                rows = [list(map(float, row))[: len(sources[i])] for row in results[i].attention[rank]][: len(token_ids)]
                attention = rows + [rows[-1]] * (len(token_ids) - len(rows)) if rows else None
            found[i].append(
                Hypothesis(
                    token_ids,
                    log_probs,
                    total,
                    length_normalise(total, len(token_ids), options.length_penalty),
                    attention,
                    truncated=not ended,
                )
            )
        return [sorted(hyps, key=lambda h: h.score, reverse=True) for hyps in found]


def open_engine(
    loaded: LoadedModel, device: torch.device, engine: str = "auto", precision: str = "auto", *, runtime: Runtime
) -> Ct2Engine | None:
    """The CTranslate2 engine for a loaded model, or None where PyTorch decodes it.

    "auto" takes CTranslate2 for a Transformer on the CPU when the package is installed (converting
    the model into the cache the first time), and quietly stays with PyTorch when any of that is
    not so or the conversion cannot be written; "ctranslate2" insists and says why it cannot."""
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "pytorch":
        return None
    reason = (
        "only Transformer models run on CTranslate2"
        if loaded.config.architecture != "transformer"
        else "CTranslate2 runs here on the CPU only"
        if device.type != "cpu"
        else "the ctranslate2 package is not installed"
        if not available()
        else ""
    )
    if reason:
        if engine == "ctranslate2":
            raise InvalidInput(f"cannot decode {loaded.metadata.name} with CTranslate2: {reason}")
        return None
    try:
        source = ct2_cache.source_of(loaded.path / WEIGHTS_FILE, CONVERTER_VERSION)
        folder = engine_folder(loaded.path, loaded.path / WEIGHTS_FILE, source)
        problem = ct2_cache.problem(folder / CT2_DIR, source)
        if problem is not None:  # made once, atomically; what fails to verify is never loaded
            if has_conversion(folder):
                log.warning(
                    "converting %s for CTranslate2 again: its cached conversion is not used (%s)", loaded.metadata.name, problem
                )
            folder.mkdir(parents=True, exist_ok=True)
            convert(loaded.model, loaded.vocab, folder, source)
            if (problem := ct2_cache.problem(folder / CT2_DIR, source)) is not None:
                raise RuntimeError(f"the new conversion does not verify: {problem}")
        return Ct2Engine(folder, loaded.vocab, "float32" if precision == "fp32" else COMPUTE_TYPE, runtime=runtime)
    except (OSError, RuntimeError, ValueError, ImportError) as exc:
        if engine == "ctranslate2":
            raise InvalidInput(f"cannot decode {loaded.metadata.name} with CTranslate2: {exc}") from None
        log.warning("decoding %s with PyTorch: its CTranslate2 conversion failed (%s)", loaded.metadata.name, exc)
        return None


def has_conversion(folder: Path) -> bool:
    return (Path(folder) / CT2_DIR / "model.bin").is_file()
