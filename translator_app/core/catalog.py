"""Finding models: the shipped ones in ``models/`` (read-only) and the user's own."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translator_app.core.types.modelformat import ModelFileError, read_config
from translator_app.core.paths import DEFAULT_MODEL, shipped_models_dir, user_models_dir


@dataclass
class ModelInfo:
    name: str
    path: Path
    shipped: bool
    architecture: str = "?"
    description: str = ""
    size_bytes: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)
    domains: list[str] = field(default_factory=list)  # what it was trained on (core.credits.DOMAINS)
    error: str | None = None  # set when config.json is unusable; the model is listed but not loadable

    @property
    def domain_scores(self) -> dict[str, float]:
        """sacreBLEU on each domain's test set, at the model's default decoding (measured, never guessed)."""
        tests = self.metrics.get("tests")
        if not isinstance(tests, dict):
            return {}
        return {
            d: float(t["sacrebleu"])
            for d, t in tests.items()
            if isinstance(t, dict) and isinstance(t.get("sacrebleu"), (int, float))
        }

    @property
    def bleu(self) -> float | None:
        """The headline figure: mean test sacreBLEU over the domains, or Multi30k's for older cards."""
        value = self.metrics.get("test_sacrebleu_mean", self.metrics.get("test_sacrebleu"))
        return float(value) if isinstance(value, (int, float)) else None

    def summary(self) -> str:
        """ "everyday 38.1 · news 10.2 · captions 35.0", or the domains alone when not measured."""
        scores = self.domain_scores
        if scores:
            return " · ".join(f"{d} {v:.1f}" for d, v in scores.items())
        return ", ".join(self.domains)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "shipped": self.shipped,
            "architecture": self.architecture,
            "description": self.description,
            "size_bytes": self.size_bytes,
            "metrics": self.metrics,
            "domains": self.domains,
            "error": self.error,
        }


def _folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def _info(folder: Path, shipped: bool) -> ModelInfo:
    info = ModelInfo(name=folder.name, path=folder, shipped=shipped)
    try:
        raw = read_config(folder)
        info.architecture = str(raw["architecture"])
        info.description = str(raw.get("description", ""))
        info.metrics = dict(raw.get("metrics", {}))
        info.domains = [str(d) for d in raw.get("domains", [])] if isinstance(raw.get("domains"), list) else []
        info.size_bytes = _folder_size(folder)
    except (ModelFileError, OSError) as exc:
        info.error = str(exc)
    return info


def list_models() -> list[ModelInfo]:
    """Shipped models first (the default first of all), then the user's, each sorted by name."""
    found: list[ModelInfo] = []
    for root, shipped in ((shipped_models_dir(), True), (user_models_dir(), False)):
        if not root.is_dir():
            continue
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        found.extend(_info(p, shipped) for p in folders if (p / "config.json").exists())
    found.sort(key=lambda m: (not m.shipped, m.name != DEFAULT_MODEL, m.name))
    return found


BEST_QUALITY = "best"  # a name that means "the shipped model that scores highest", wherever a name goes


def best_quality_model(models: list[ModelInfo] | None = None) -> ModelInfo | None:
    """The shipped model with the highest mean test BLEU over the domains: what the app offers as "best quality".

    Chosen from the measured figures in each model's config rather than by name, so shipping a
    better model moves the label with no code change.
    """
    scored = [m for m in (list_models() if models is None else models) if m.shipped and not m.error and m.bleu is not None]
    # a mean over every domain's test set and one caption test set are not comparable: when any model
    # is measured on every domain, only those compete
    by_domain = [m for m in scored if "test_sacrebleu_mean" in m.metrics]
    return max(by_domain or scored, key=lambda m: m.bleu if m.bleu is not None else 0.0, default=None)


def model_role(model: ModelInfo, models: list[ModelInfo]) -> str:
    """ "default", "best quality" or "" — the label a model list shows beside the name.

    Only shown when there is a choice between shipped models; a lone model needs no label.
    """
    if not model.shipped or len([m for m in models if m.shipped]) < 2:
        return ""
    if model.name == DEFAULT_MODEL:
        return "default"
    best = best_quality_model(models)
    return "best quality" if best is not None and best.path == model.path else ""


def next_candidate(models: Sequence[ModelInfo], tried: Collection[str]) -> ModelInfo | None:
    """The model to load after one failed: the first loadable one, in list order (the default first),
    whose path or name is not in ``tried``; None once every one has been tried.

    ``tried`` holds what each load asked for, a path or a name, so a model is never tried twice
    whichever way it was named.
    """
    return next((m for m in models if not m.error and str(m.path) not in tried and m.name not in tried), None)


def find_model(name_or_path: str | Path | None = None) -> Path:
    """A model folder from a name (user models shadow nothing: shipped names win), ``best``, or a path."""
    if name_or_path is None or str(name_or_path) == "":
        name_or_path = DEFAULT_MODEL
    if str(name_or_path) == BEST_QUALITY and not Path(BEST_QUALITY).is_dir():
        best = best_quality_model()
        name_or_path = best.path if best is not None else DEFAULT_MODEL
    text = str(name_or_path)
    if "/" not in text and "\\" not in text and not text.startswith((".", "~")):  # a plain name: names win
        for root in (shipped_models_dir(), user_models_dir()):
            if (root / text).is_dir():
                return root / text
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir():
        return candidate
    names = ", ".join(m.name for m in list_models()) or "none installed"
    raise ModelFileError(f"{name_or_path}: no such model (installed: {names})")


def is_shipped(path: Path) -> bool:
    try:
        Path(path).resolve().relative_to(shipped_models_dir().resolve())
        return True
    except ValueError:
        return False
