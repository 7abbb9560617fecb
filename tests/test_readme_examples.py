"""The README's examples are what the shipped default model writes today, at its default settings,
and none of them stutters (a phrase said twice where the German does not repeat it)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from translator_app.core.paths import DEFAULT_MODEL, shipped_models_dir
from translator_app.core.repetition import stutter

_ROW = re.compile(r"^\| (?P<german>[^|]+?) \| (?P<english>[^|]+?) \|$")


def readme_examples() -> list[tuple[str, str]]:
    """The rows of the table under "## What it writes" (header and rule rows left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## What it writes", 1)[1].split("\n## ", 1)[0]
    rows = [m.groups() for m in map(_ROW.match, section.splitlines()) if m]
    return [(de.replace("\\|", "|"), en.replace("\\|", "|")) for de, en in rows[1:] if not set(de) <= set("-: ")]


def test_the_readme_has_examples_of_each_kind():
    examples = readme_examples()
    assert len(examples) >= 8
    assert any("€" in de for de, _ in examples) and any("Uhr" in de for de, _ in examples)


@pytest.fixture(scope="module")
def default_translator():
    from translator_app.core.translator import Translator

    return Translator.load(shipped_models_dir() / DEFAULT_MODEL)


@pytest.mark.parametrize(("german", "english"), readme_examples())
def test_each_readme_example_is_the_default_models_translation(default_translator, german, english):
    output = default_translator.translate(german).text
    assert output == english
    assert stutter(german, output) is None
