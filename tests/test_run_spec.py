"""The training policy both shells share (core.types.run_spec): the training defaults, the hold-out split,
the vocabulary and name suggestions and the name rule."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from translator_app.core.model_store import validate_model_name
from translator_app.core.types.train_config import MIN_TRAINING_PAIRS, TrainConfig
from translator_app.core.types.run_spec import (
    FALLBACK_NAME,
    MAX_VALIDATION_PAIRS,
    RunSpec,
    capped_warmup,
    check_name_pattern,
    default_train_config,
    default_warmup,
    holdout_count,
    holdout_split,
    other_name,
    run_steps,
    suggest_model_name,
    suggest_vocab_size,
    training_pairs,
    valid_name,
)


def test_the_training_defaults_for_fine_tuning_and_a_new_model():
    fine, new = default_train_config(fine_tune=True), default_train_config(fine_tune=False)
    assert (fine.epochs, fine.learning_rate, fine.warmup_steps, fine.batch_size, fine.batch_tokens) == (3, 3e-4, 50, 64, 1600)
    assert default_train_config(fine_tune=True, architecture="transformer").learning_rate == 1e-4  # it forgets faster
    assert default_train_config(fine_tune=True, architecture="packed_attention") == fine
    assert (new.epochs, new.learning_rate, new.warmup_steps, new.batch_size) == (20, 1e-3, 300, 128)
    assert new == TrainConfig()  # a new model: the trainer's own defaults, batches by pairs
    differs = {k for k, v in asdict(fine).items() if asdict(new)[k] != v}
    assert differs == {"epochs", "learning_rate", "warmup_steps", "batch_size", "batch_tokens"}  # the rest is shared


def test_steps_and_a_short_runs_warm_up():
    assert run_steps(57, 16, 2) == 8 and run_steps(64, 16, 1) == 4 and run_steps(0, 16, 3) == 0
    assert capped_warmup(50, 8) == 1  # a tenth of 8 steps, but at least one
    assert capped_warmup(50, 300) == 30 and capped_warmup(50, 10_000) == 50


@pytest.mark.parametrize("count, fraction", [(2, 0.05), (60, 0.05), (100, 0.4), (50_000, 0.05)])
def test_the_hold_out_the_tab_counts_is_the_one_the_run_splits(count, fraction):
    train, held = holdout_split(count, fraction, seed=1)
    assert len(held) == holdout_count(count, fraction) <= MAX_VALIDATION_PAIRS
    assert len(train) == training_pairs(count, fraction) == count - len(held)
    assert set(train).isdisjoint(held) and sorted(train + held) == list(range(count))
    assert training_pairs(count, None) == count  # a separate validation file: all of them train


def test_a_split_that_leaves_nothing_to_train_on_is_refused():
    with pytest.raises(ValueError, match=f"at least {MIN_TRAINING_PAIRS}"):
        holdout_split(1, 0.05, seed=1)
    with pytest.raises(ValueError, match="between 0 and 0.5"):
        holdout_split(10, 0.5, seed=1)


def test_the_vocabulary_suggested_grows_with_the_data_within_its_bounds():
    assert [suggest_vocab_size(n) for n in (0, 2_400, 4_000, 10_050, 32_000, 1_000_000)] == [600, 600, 1000, 2500, 8000, 8000]
    assert RunSpec(name="x").vocab_size == suggest_vocab_size(10**9)  # the largest suggestion is the default


@pytest.mark.parametrize(
    "name, valid",
    [
        ("my-model", True),
        ("v1.2_de-en", True),
        ("a" * 64, True),
        ("", False),
        ("-dash", False),
        (".hidden", False),
        ("a" * 65, False),
        ("a/b", False),
        ("a..b", False),
        ("ein Modell", True),  # the model manager's rule (core.types.model_names), one for every name (issue 29, item 9)
        ("Übersetzer für Ärzte (v2)", True),
        ("CON", False),
        ("trailing.", False),
        ("x\n", False),
    ],
)
def test_the_name_rule(name, valid):
    assert valid_name(name) is valid
    if valid:
        check_name_pattern(name)
    else:
        with pytest.raises(ValueError, match="name"):  # the message says what is wrong with it
            check_name_pattern(name)


def test_a_suggested_name_comes_from_the_base_and_the_file_and_is_free():
    assert suggest_model_name("tiny-lstm", None, set()) == "tiny-lstm-mine"
    assert suggest_model_name("tiny-lstm", "/data/corpus.de.gz", set()) == "tiny-lstm-corpus"  # both suffixes go
    assert suggest_model_name("gru", "/data/Meine Daten (2024).tsv", set()) == "gru-Meine-Daten-2024"
    assert suggest_model_name("gru", "x.tsv", {"gru-x", "gru-x-2"}) == "gru-x-3"
    assert suggest_model_name("ü", "ö.tsv", set()) == "ü-ö"  # umlauts are kept, as the model manager keeps them
    assert suggest_model_name("_", "_.tsv", set()) == FALLBACK_NAME
    long = suggest_model_name("transformer", "/d/" + "k" * 80 + ".tmx", set())
    assert len(long) == 56 and valid_name(long)


def test_the_name_offered_when_a_name_is_taken():
    assert other_name("fresh") == "fresh-2"
    assert other_name("a" * 63) == FALLBACK_NAME  # "-2" would make it too long


def test_the_run_rules_the_model_store_and_the_trainers_types_import_no_torch():
    import subprocess
    import sys

    code = (
        "import sys, translator_app.core.types.run_spec, translator_app.core.types.train_types, translator_app.core.model_store, "
        "translator_app.cli.commands.train; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "False"


def test_the_default_warm_up_is_capped_for_a_short_run():
    assert default_warmup(False, 150, 0.05, 16, 2) == capped_warmup(300, run_steps(training_pairs(150, 0.05), 16, 2)) == 1
    assert default_warmup(True, 2_000, None, 64, 5) == capped_warmup(50, 32 * 5) == 16  # fine-tuning's 50, capped
    assert default_warmup(False, 1_000_000, 0.05, 128, 20) == 300  # a long run: the default


def test_validate_model_name_refuses_taken_and_unsafe_names(shipped_dir_with_tiny):
    from translator_app.core.paths import DEFAULT_MODEL, user_models_dir

    with pytest.raises(FileExistsError, match="shipped model"):
        validate_model_name(DEFAULT_MODEL)
    (user_models_dir() / "mine").mkdir(parents=True)
    with pytest.raises(FileExistsError, match="already exists"):
        validate_model_name("mine")
    with pytest.raises(ValueError, match="not a valid model name"):
        validate_model_name("../escape")
    validate_model_name("free-name")
    validate_model_name("Mein Modell für Ärzte")
    with pytest.raises(FileExistsError, match="differ only in capitals"):
        validate_model_name("MINE")  # one folder on Windows and macOS
