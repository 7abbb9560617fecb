"""An inference engine for the attention models in plain NumPy: no torch, no export, no cache.

Chosen over ONNX Runtime by measurement (benchmarks/onnx_runtime.py, docs/results.md): with the
same search and the same 200 dev sentences, token for token the same output, NumPy reaches the
first translation sooner (0.67 against 0.77 s from launch), peaks at 118 MB against 172 MB, adds
nothing to install (ONNX Runtime: 82 MB) and reads the shipped fp16 safetensors directly, with no
export step and no cache to key and verify. ONNX Runtime decodes beam 5 about twice as fast (47
against 88 ms a sentence: OpenBLAS is slow on NumPy's 5-row products), which matters for long
files more than for the text a user types. PyTorch stays the reference (tests/test_numpy_engine.py
holds the two token for token) and the fallback.
"""

from translator_app.core.numpy_engine.engine import NumpyModel, load_numpy_model, supports

__all__ = ["NumpyModel", "load_numpy_model", "supports"]
