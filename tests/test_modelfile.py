import json
import shutil

import pytest
import torch

from translator_app.core.modelfile import load_model_folder, save_model_folder, update_config_fields
from translator_app.core.types.modelformat import FORMAT_VERSION, ModelFileError
from translator_app.core.types.options import DecodeOptions
from translator_app.core.translator import Translator
from translator_app.core.paths import DEFAULT_MODEL


@pytest.fixture()
def model_copy(tiny_model_dir, tmp_path):
    return shutil.copytree(tiny_model_dir, tmp_path / "copy")


def test_round_trip_gives_the_same_outputs(tiny_model_dir, tmp_path):
    loaded = load_model_folder(tiny_model_dir)
    again_dir = save_model_folder(tmp_path / "again", loaded.model, loaded.vocab, loaded.metadata)
    options = DecodeOptions(beam_width=3, n_best=2)
    a = Translator.load(tiny_model_dir, device="cpu").translate("Ein Hund rennt durch den Schnee.", options)
    b = Translator.load(again_dir, device="cpu").translate("Ein Hund rennt durch den Schnee.", options)
    assert [x.text for x in a.alternatives] == [x.text for x in b.alternatives]
    config = json.loads((again_dir / "config.json").read_text())
    assert config["format_version"] == FORMAT_VERSION and config["weights"]["dtype"] == "float16"


def test_weights_are_half_precision_safetensors(tiny_model_dir):
    from safetensors import safe_open

    with safe_open(str(tiny_model_dir / "model.safetensors"), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.float16}  # noqa: SIM118 (safe_open is not iterable)


def test_saving_never_overwrites_silently(tiny_model_dir, model_copy):
    loaded = load_model_folder(tiny_model_dir)
    before = (model_copy / "model.safetensors").read_bytes()
    with pytest.raises(FileExistsError):
        save_model_folder(model_copy, loaded.model, loaded.vocab, loaded.metadata)
    assert (model_copy / "model.safetensors").read_bytes() == before
    assert not [p for p in model_copy.parent.iterdir() if p.name.endswith(".partial")]


def _edit_config(folder, **changes):
    config = json.loads((folder / "config.json").read_text())
    config.update(changes)
    (folder / "config.json").write_text(json.dumps(config))


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda f: (f / "config.json").unlink(), "config.json: missing"),
        (lambda f: (f / "config.json").write_text("{ not json"), "config.json: not valid JSON"),
        (lambda f: _edit_config(f, format="some-other-tool"), "config.json: not a translator-app model"),
        (lambda f: _edit_config(f, format_version=FORMAT_VERSION + 1), "newer version"),
        (lambda f: _edit_config(f, architecture="quantum"), "unknown architecture"),
        (
            lambda f: _edit_config(f, hyperparameters={"vocab_size": 600, "hidden_dim": 65, "emb_dim": 32, "num_layers": 1}),
            "model.safetensors: tensor",
        ),
        (lambda f: (f / "model.safetensors").unlink(), "model.safetensors: missing"),
        (
            lambda f: (f / "model.safetensors").write_bytes((f / "model.safetensors").read_bytes()[:5000]),
            "model.safetensors: unreadable or truncated",
        ),
        (lambda f: (f / "model.safetensors").write_bytes(b"\x80\x04\x95pickle!" * 10), "model.safetensors: unreadable"),
        (lambda f: (f / "spm.model").unlink(), "spm.model: missing"),
        (lambda f: (f / "spm.model").write_bytes(b"garbage" * 10), "spm.model: not a usable SentencePiece model"),
    ],
)
def test_each_bad_file_gets_one_clear_error(model_copy, damage, expected):
    damage(model_copy)
    with pytest.raises(ModelFileError, match=expected):
        load_model_folder(model_copy)


def test_not_a_folder(tmp_path):
    with pytest.raises(ModelFileError, match="not a model folder"):
        load_model_folder(tmp_path / "nothing-here")


def test_update_config_fields_is_atomic_and_keeps_the_rest(model_copy):
    update_config_fields(model_copy, metrics={"test_sacrebleu": 12.5})
    loaded = load_model_folder(model_copy)
    assert loaded.metadata.metrics == {"test_sacrebleu": 12.5}


def test_best_quality_is_the_shipped_model_with_the_highest_test_bleu(shipped_dir_with_tiny, tiny_model_dir):
    import shutil

    from translator_app.core.catalog import best_quality_model, find_model, list_models, model_role
    from translator_app.core.modelfile import update_config_fields

    assert model_role(list_models()[0], list_models()) == ""  # a lone model needs no label
    for name, bleu in (("fast", 20.0), ("good", 38.0)):
        shutil.copytree(tiny_model_dir, shipped_dir_with_tiny / name)
        update_config_fields(shipped_dir_with_tiny / name, metrics={"test_sacrebleu": bleu})
    models = list_models()
    assert best_quality_model(models).name == "good"
    assert {m.name: model_role(m, models) for m in models} == {DEFAULT_MODEL: "default", "fast": "", "good": "best quality"}
    assert find_model("best") == shipped_dir_with_tiny / "good"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("training", 5, "'training' must be an object"),
        ("default_decoding", {"beam_width": "5"}, "default_decoding.beam_width must be a number"),
        ("default_decoding", {"beam_width": 2.5}, "a whole number"),
        ("domains", "captions", "'domains' must be a list"),
        ("name", ["x"], "'name' must be a string"),
    ],
)
@pytest.mark.fault(8, "config.json fields of the wrong type")
def test_wrongly_typed_config_fields_are_one_clear_error(tmp_path, tiny_model_dir, field, value, message):
    folder = tmp_path / "m"
    shutil.copytree(tiny_model_dir, folder)
    update_config_fields(folder, **{field: value})
    with pytest.raises(ModelFileError, match=message):
        load_model_folder(folder)


@pytest.mark.fault(8, "a config.json nested 200,000 deep; a name with terminal escapes (16)")
def test_one_broken_user_model_never_stops_the_listing(shipped_dir_with_tiny, tiny_model_dir, capsys):
    from translator_app.cli.main import main
    from translator_app.core.catalog import list_models
    from translator_app.core.paths import user_models_dir

    deep = user_models_dir() / "deep"
    deep.mkdir(parents=True)
    (deep / "config.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    escaped = user_models_dir() / "evil\x1b[31m"
    shutil.copytree(tiny_model_dir, escaped)
    models = {m.name: m for m in list_models()}
    assert models["deep"].error and "not valid JSON" in models["deep"].error
    assert not models["evil\x1b[31m"].error
    assert main(["models"]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err and "evil\\x1b[31m" in captured.out


@pytest.mark.fault(16, "published model folders are 0755, not 0700")
def test_published_models_get_the_usual_permissions(tmp_path, tiny_model_dir):
    import os
    import stat

    loaded = load_model_folder(tiny_model_dir)
    old = os.umask(0o022)
    try:
        folder = save_model_folder(tmp_path / "perm", loaded.model, loaded.vocab, loaded.metadata)
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o644 for f in folder.iterdir())


def test_best_quality_compares_models_measured_on_every_domain(shipped_dir_with_tiny, tiny_model_dir):
    from translator_app.core.catalog import best_quality_model, list_models

    for name, metrics in (
        ("captions-only", {"test_sacrebleu": 41.0}),
        (
            "general",
            {
                "test_sacrebleu": 34.0,
                "test_sacrebleu_mean": 25.0,
                "tests": {"everyday": {"sacrebleu": 35.0}, "news": {"sacrebleu": 6.0}, "captions": {"sacrebleu": 34.0}},
            },
        ),
    ):
        shutil.copytree(tiny_model_dir, shipped_dir_with_tiny / name)
        update_config_fields(shipped_dir_with_tiny / name, metrics=metrics)
    models = list_models()
    assert best_quality_model(models).name == "general"
    assert {m.name: m.summary() for m in models}["general"] == "everyday 35.0 · news 6.0 · captions 34.0"
