"""The one thread policy (``core.devices.resolve_runtime``) and the ``Runtime`` every engine applies:
an explicit count is that count for PyTorch, CTranslate2 and NumPy's BLAS alike."""

import pytest
import torch
from test_ct2_backend import transformer_folder  # noqa: F401 (a fixture)
from threadpoolctl import threadpool_info

from translator_app.core import ct2_backend, devices
from translator_app.core.devices import THREADS, CpuCores, Runtime, apply_blas_threads, cpu_cores, resolve_runtime
from translator_app.core.translator import Translator

SENTENCE = "Ein Hund rennt durch den Schnee."


def blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


@pytest.fixture()
def process_threads():
    """Put torch's and BLAS's process-wide thread counts back as they were (the tests run on one)."""
    torch_before, (blas_before,) = torch.get_num_threads(), blas_threads()
    yield
    torch.set_num_threads(torch_before)
    apply_blas_threads(blas_before)


def test_automatic_is_one_per_physical_core_less_one_on_machines_with_no_spare_thread():
    assert resolve_runtime("cpu", 0, CpuCores(usable=2, logical=2)).threads == 1
    assert resolve_runtime("cpu", 0, CpuCores(usable=1, logical=1)).threads == 1
    assert resolve_runtime("cpu", 0, CpuCores(usable=4, logical=8)).threads == 4  # hyper-threads spare
    assert resolve_runtime("cpu", 0, CpuCores(usable=8, logical=8)).threads == 7
    assert resolve_runtime("cpu", 2, CpuCores(usable=2, logical=2)).threads == 2  # explicit: taken as it is
    assert resolve_runtime("CPU", 3) == Runtime("cpu", 3)


def test_bad_settings_are_messages():
    for threads in (-1, int(THREADS.high) + 1, True, 1.5):
        with pytest.raises(ValueError, match="CPU threads"):
            resolve_runtime("cpu", threads)
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        resolve_runtime("tpu", 1)
    with pytest.raises(ValueError, match="1 to 256"):
        Runtime("cpu", 0)  # a runtime holds a count: "automatic" is resolved before


def test_omp_num_threads_caps_automatic_as_it_caps_torchs_default(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    cpu_cores.cache_clear()
    try:
        assert cpu_cores().usable == 1
        assert cpu_cores().logical >= 1
    finally:
        cpu_cores.cache_clear()


def test_cli_threads_flag_is_checked_and_becomes_the_runtime(capsys):
    from translator_app.cli.main import main

    with pytest.raises(SystemExit):
        main(["translate", "--threads", "-2", "Hallo"])
    assert "--threads: CPU threads (0 = automatic) must be between 0 and 256" in capsys.readouterr().err
    for command in ("translate", "evaluate", "train"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--threads N" in capsys.readouterr().out


def _loaded_each_way(runtime: Runtime, tiny_model_dir, tiny_attention_model_dir, transformer) -> dict[str, Translator]:
    return {
        "pytorch": Translator.load(tiny_model_dir, precision="fp32", engine="pytorch", runtime=runtime),
        "ctranslate2": Translator.load(transformer, engine="ctranslate2", runtime=runtime),
        "numpy": Translator.load(tiny_attention_model_dir, engine="numpy", runtime=runtime),
    }


def _threads_used(kind: str, translator: Translator, made: list[int]) -> int:
    """What the engine really decodes with: torch's, the intra_threads CTranslate2 was made with, BLAS's."""
    translator.translate(SENTENCE)
    if kind == "pytorch":
        return torch.get_num_threads()
    if kind == "ctranslate2":
        assert translator._engine is not None and translator._engine.threads == made[-1]
        return made[-1]
    (threads,) = blas_threads()
    return threads


@pytest.mark.skipif(not ct2_backend.available(), reason="the ctranslate2 package is not installed")
def test_every_engine_decodes_on_the_runtimes_threads(
    process_threads,
    monkeypatch,
    tiny_model_dir,
    tiny_attention_model_dir,
    transformer_folder,  # noqa: F811
):
    import ctranslate2

    made: list[int] = []
    real = ctranslate2.Translator

    def recording(*args, **kwargs):
        made.append(kwargs["intra_threads"])
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", recording)
    translators = _loaded_each_way(Runtime("cpu", 2), tiny_model_dir, tiny_attention_model_dir, transformer_folder)
    for kind, translator in translators.items():  # each in turn: they share the process's settings
        assert _threads_used(kind, translator, made) == 2, kind
        assert translator.device_description().startswith("CPU (2 threads)"), kind
    for kind, translator in translators.items():  # Preferences: a new count, the model kept
        translator.set_runtime(Runtime("cpu", 1))
        assert _threads_used(kind, translator, made) == 1, kind
    with pytest.raises(ValueError, match="load it again"):
        translators["numpy"].set_runtime(Runtime("cuda", 1))

    monkeypatch.setattr(devices, "cpu_cores", lambda: CpuCores(usable=2, logical=8))  # automatic: 2 here
    for kind, translator in _loaded_each_way(
        resolve_runtime("cpu", 0), tiny_model_dir, tiny_attention_model_dir, transformer_folder
    ).items():
        assert translator.runtime == Runtime("cpu", 2)
        assert _threads_used(kind, translator, made) == 2, kind
    assert Translator.load(tiny_attention_model_dir).runtime == Runtime("cpu", 2)  # no runtime: the device's, automatic
