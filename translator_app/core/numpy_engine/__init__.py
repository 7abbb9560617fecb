"""An inference engine for the attention models in plain NumPy: no torch, no export, no cache.

Chosen over exporting to ONNX Runtime because the default model's decoder step is a handful of
matrix products that NumPy's BLAS runs at batch one about as fast as PyTorch does (figures in
benchmarks/decode.py), while it reads the shipped fp16 safetensors directly: no new runtime (ONNX
Runtime is a 15 MB wheel not installed here), no export step, no cache to key and verify. PyTorch
stays the reference (tests/test_numpy_engine.py holds the two token for token) and the fallback.
"""

from translator_app.core.numpy_engine.engine import NumpyModel, load_numpy_model, supports

__all__ = ["NumpyModel", "load_numpy_model", "supports"]
