"""Settings file, text counts and file I/O helpers of the desktop app (no display, no model)."""

from __future__ import annotations

import json
import os

import pytest

from translator_app.gui.fileio import TextFileError, read_text_file, write_text_atomic
from translator_app.gui.settings import DECODING_FIELDS, SPECS, Key, Settings, default_path
from translator_app.core.sentence_count import count_sentences
from translator_app.gui.textstats import describe_counts


def test_settings_live_in_the_config_folder(tmp_path):
    assert default_path() == tmp_path / "user-config" / "settings.json"  # the conftest's isolated folder


def test_decoding_defaults_equal_the_core_defaults():
    from translator_app.core.types.options import DecodeOptions

    core = DecodeOptions()
    for key, field in DECODING_FIELDS.items():
        assert SPECS[key].default == getattr(core, field), field


def test_missing_file_gives_defaults_without_notice():
    settings = Settings()
    assert settings.notice is None
    assert settings.get(Key.BEAM_WIDTH) == 5 and settings.get(Key.AS_YOU_TYPE) is True
    assert not settings.path.exists()  # nothing is written until something changes


def test_values_round_trip_through_the_file():
    settings = Settings()
    settings.update({Key.BEAM_WIDTH: 3, Key.LENGTH_PENALTY: 0.6, Key.MODEL: "mine", Key.AS_YOU_TYPE: False})
    data = json.loads(settings.path.read_text(encoding="utf-8"))
    assert data["beam_width"] == 3 and data["model"] == "mine" and data["as_you_type"] is False
    again = Settings()
    assert again.get(Key.BEAM_WIDTH) == 3 and again.get(Key.LENGTH_PENALTY) == 0.6
    assert again.get(Key.MODEL) == "mine" and again.get(Key.AS_YOU_TYPE) is False
    assert again.decoding() == {"beam_width": 3, "max_length": 200, "length_penalty": 0.6, "n_best": 1, "no_repeat_ngram_size": 3}


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2, 3]", "\x00\x01garbage", '{"beam_width": 3'])
def test_corrupted_file_falls_back_to_defaults_with_a_notice(content):
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    settings = Settings()
    assert settings.notice and "damaged" in settings.notice
    assert settings.get(Key.BEAM_WIDTH) == 5
    assert path.with_name("settings.json.corrupt").read_text(encoding="utf-8") == content
    settings.set(Key.BEAM_WIDTH, 2)
    assert json.loads(path.read_text(encoding="utf-8"))["beam_width"] == 2


@pytest.mark.parametrize(
    "content", [b'{"model": "lstm\xff\xfe"}', b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000]
)
@pytest.mark.fault(3, "settings.json not UTF-8, or nested 100,000 deep")
def test_undecodable_or_deeply_nested_file_is_set_aside(content):
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    settings = Settings()
    assert settings.notice and "damaged" in settings.notice
    assert settings.get(Key.MODEL) == SPECS[Key.MODEL].default
    assert path.with_name("settings.json.corrupt").read_bytes() == content


def test_invalid_values_are_reset_one_by_one():
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "beam_width": 0,
                "max_length": "long",
                "length_penalty": 2,
                "device": "tpu",
                "as_you_type": 1,
                "model": "ok-model",
                "unknown": 5,
            }
        ),
        encoding="utf-8",
    )
    settings = Settings()
    assert settings.get(Key.BEAM_WIDTH) == 5 and settings.get(Key.MAX_LENGTH) == 200
    assert settings.get(Key.DEVICE) == "auto" and settings.get(Key.AS_YOU_TYPE) is True
    assert settings.get(Key.LENGTH_PENALTY) == 2.0 and settings.get(Key.MODEL) == "ok-model"
    for name in ("beam_width", "max_length", "device", "as_you_type"):
        assert name in settings.notice


def test_set_rejects_invalid_values():
    settings = Settings()
    with pytest.raises(ValueError):
        settings.set(Key.BEAM_WIDTH, 65)
    with pytest.raises(ValueError):
        settings.set(Key.DEVICE, "quantum")
    assert settings.get(Key.BEAM_WIDTH) == 5


@pytest.mark.parametrize("key", list(DECODING_FIELDS))
def test_decoding_settings_keep_exactly_what_decoding_accepts(key):
    """A stored value must decode, and one the CLI would decode with must not be reset to the default."""
    from translator_app.core.types.options import DecodeOptions

    field = DECODING_FIELDS[key]
    probes = [-1, 0, 1, 5, 10, 11, 16, 17, 64, 65, 1024, 1025]
    if isinstance(SPECS[key].default, float):
        probes += [-0.01, 0.5, 4.99, 5.0, 5.01]
    settings = Settings()
    for value in probes:
        try:
            DecodeOptions(**{field: value}).validated()
            decodes = True
        except ValueError:
            decodes = False
        try:
            settings.set(key, value, save=False)
            kept = True
        except ValueError:
            kept = False
        assert kept == decodes, (field, value)
    with pytest.raises(ValueError):
        settings.set(key, True, save=False)  # JSON's true is no number of anything


def test_a_failed_write_keeps_the_old_file_intact(monkeypatch):
    settings = Settings()
    settings.set(Key.BEAM_WIDTH, 4)
    before = settings.path.read_bytes()

    def broken_dump(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("translator_app.gui.settings.json.dump", broken_dump)
    with pytest.raises(OSError):
        settings.set(Key.BEAM_WIDTH, 7)
    assert settings.path.read_bytes() == before
    assert [p.name for p in settings.path.parent.iterdir()] == ["settings.json"]  # no temp file left


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("", 0),
        ("   \n\t", 0),
        ("Hallo", 1),
        ("Ein Hund läuft. Eine Katze schläft.", 2),
        ("Wie geht's? Gut! Danke.", 3),
        ("Er kam um 3 Uhr. 2 Kinder spielen.", 2),
        ("Erster Absatz.\n\nZweiter Absatz. Noch einer.", 3),
        ("z.B. im Park", 1),
        ("🙂🙂", 1),
        ("Am 3. Oktober 2023. Schreib an mich.", 2),  # an ordinal's period ends nothing, a year's does
        ("Das war 1989. Die Mauer fiel. Es kostet 3,50. Das ist viel.", 4),
        ("Zum 100. Geburtstag kam er. Er wurde 30. Dann zog er weg.", 3),
    ],
)
def test_sentence_count(text, sentences):
    assert count_sentences(text) == sentences


def test_describe_counts_uses_singular_and_thousands():
    assert describe_counts("Hallo") == "5 characters · 1 sentence"
    assert describe_counts("a") == "1 character · 1 sentence"
    assert describe_counts("Satz. " * 2000).startswith("12,000 characters · 2,000 sentences")


def test_read_text_file_encodings_and_refusals(tmp_path):
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes("\ufeffGrüße aus Köln".encode("utf-8"))
    assert read_text_file(utf8) == ("Grüße aus Köln", "UTF-8")
    legacy = tmp_path / "b.txt"
    legacy.write_bytes("Grüße".encode("cp1252"))
    assert read_text_file(legacy) == ("Grüße", "Windows-1252")
    binary = tmp_path / "c.txt"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(TextFileError, match="binary"):
        read_text_file(binary)
    with pytest.raises(TextFileError, match="Cannot read"):
        read_text_file(tmp_path / "missing.txt")


def test_translate_file_reads_what_training_reads(tmp_path):
    """One encoding policy (core.readers.encodings): UTF-16 with a BOM is read, mixed encodings are refused."""
    from translator_app.core.readers import read_parallel
    from translator_app.core.types.errors import ParallelDataError

    unicode_txt = tmp_path / "notepad.txt"
    unicode_txt.write_bytes("Grüße\tGreetings\n".encode("utf-16"))
    assert read_text_file(unicode_txt) == ("Grüße\tGreetings\n", "UTF-16")
    assert read_parallel([unicode_txt], "tsv").pairs == [("Grüße", "Greetings")]
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("Grüße\tGreetings\n".encode() + "Grüße\tGreetings\n".encode("cp1252"))
    with pytest.raises(TextFileError, match=r"mixed.txt mixes UTF-8 with another encoding .*0xFC at line 2, byte offset 20"):
        read_text_file(mixed)
    with pytest.raises(ParallelDataError, match=r"mixed.txt mixes UTF-8 with another encoding .*0xFC at line 2, byte offset 20"):
        read_parallel([mixed], "tsv")


def test_write_text_atomic_replaces_whole_files(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "neu\n\nzwei")
    assert target.read_text(encoding="utf-8") == "neu\n\nzwei\n"
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]
    with pytest.raises(TextFileError):
        write_text_atomic(tmp_path / "no-such-dir" / "out.txt", "x")


def test_written_translations_get_the_usual_permissions(tmp_path):
    import stat

    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "new.txt", "neu")
        kept = tmp_path / "kept.txt"
        kept.write_text("alt", encoding="utf-8")
        kept.chmod(0o640)
        write_text_atomic(kept, "neu")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644  # not mkstemp's 0600
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640  # a replaced file keeps its own


@pytest.mark.fault(14, "a named pipe (FIFO) as the file to translate")
def test_a_named_pipe_is_refused_instead_of_blocking_the_worker(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(TextFileError, match="not a regular file"):
        read_text_file(fifo)
