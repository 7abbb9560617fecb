"""One Engine behind the Translator (core.engine), and one search over two array libraries
(core.array_search with torch's ops in core.search and NumPy's in core.numpy_engine.search)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from translator_app.core import array_search
from translator_app.core.array_search import Columns
from translator_app.core.engine import Engine
from translator_app.core.modelfile import load_model_folder
from translator_app.core.numpy_engine.search import NumpyOps
from translator_app.core.search import TorchOps
from translator_app.core.torch_engine import TorchEngine
from translator_app.core.translator import Translator
from translator_app.core.types.options import DecodeOptions
from tests.conftest import ROOT


def test_the_search_and_the_protocol_import_neither_torch_nor_numpy():
    code = (
        "import sys; import translator_app.core.array_search, translator_app.core.engine; "
        "print('torch' in sys.modules, 'numpy' in sys.modules); "
        "import translator_app.core.numpy_engine.search; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


class CountingEngine:
    """An Engine that decodes with PyTorch and counts what the facade asks of it."""

    name = "counting"
    has_attention = False
    dtype = "counted"

    def __init__(self, inner: TorchEngine):
        self.inner, self.runtime, self.calls = inner, inner.runtime, []

    def describe(self) -> str:
        return "counted on no device"

    def search(self, sources, options, banned, use_shortlist):
        self.calls.append((len(sources), options.beam_width, use_shortlist))
        return self.inner.search(sources, options, banned, use_shortlist)


def test_the_translator_decodes_only_through_its_engine(tiny_model_dir):
    plain = Translator(load_model_folder(tiny_model_dir), torch.device("cpu"))
    assert isinstance(plain._engine, TorchEngine) and plain.engine == "PyTorch"
    counting = CountingEngine(plain._engine)
    translator = Translator(plain._engine.loaded, torch.device("cpu"), engine=counting)
    text, options = "Ein Mann fährt Fahrrad. Zwei Hunde spielen.", DecodeOptions(beam_width=3)
    assert translator.translate(text, options).text == plain.translate(text, options).text
    assert counting.calls == [(2, 3, True)]  # one batch of both sentences, as asked
    assert (translator.engine, translator.device_description(), translator.has_attention, translator.dtype) == (
        "counting",
        "counted on no device",
        False,
        "counted",
    )
    translator.set_runtime(replace(counting.runtime, threads=1))
    assert translator.runtime is counting.runtime and counting.runtime.threads == 1


def test_the_numpy_and_pytorch_engines_are_engines(tiny_attention_model_dir):
    numpy_side = Translator.load(tiny_attention_model_dir, engine="numpy")
    torch_side = Translator.load(tiny_attention_model_dir, device="cpu", precision="fp32", engine="pytorch")
    for translator, name in ((numpy_side, "NumPy float32"), (torch_side, "PyTorch")):
        assert isinstance(translator._engine, Engine) and translator.engine == name
        assert translator.has_attention and translator.device_description().startswith("CPU")
    assert numpy_side.dtype == np.float32 and torch_side.dtype == torch.float32


@pytest.mark.parametrize("seed", range(3))
def test_torch_and_numpy_ops_agree(seed):
    """The search is written once: it is the same search only if the two ops give the same arrays."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 30)).astype(np.float32)
    t, n = TorchOps(), NumpyOps()
    tx = torch.from_numpy(x.copy())
    for got, want in zip(t.topk(tx, 6), n.topk(x, 6)):
        assert got.numpy().tolist() == want.tolist()
    for got, want in zip(t.max(tx), n.max(x)):
        assert got.numpy().tolist() == want.tolist()
    assert np.allclose(t.log_softmax(tx).numpy(), n.log_softmax(x), atol=1e-6)
    keys = rng.integers(0, 5, (4, 8))
    assert t.argsort(torch.from_numpy(keys)).numpy().tolist() == n.argsort(keys).tolist()
    generated = rng.integers(3, 9, (4, 7))
    generated[0] = [4, 5, 6, 4, 5, 6, 4]  # repeats every n-gram size: something is always banned
    assert t.windows(torch.from_numpy(generated), 3).numpy().tolist() == n.windows(generated, 3).tolist()
    for size in (1, 2, 3):
        for ids in (None, np.array([0, 3, 4, 5, 6, 7, 9, 12])):
            theirs = x[:, : 8 if ids is not None else 30].copy()
            ours = torch.from_numpy(theirs.copy())
            array_search.ban_repeated_ngrams(n, theirs, generated, size, Columns(n, ids))
            columns = Columns(t, torch.from_numpy(ids) if ids is not None else None)
            array_search.ban_repeated_ngrams(t, ours, torch.from_numpy(generated), size, columns)
            assert np.array_equal(np.isinf(theirs), np.isinf(ours.numpy())) and np.isinf(theirs).any()
