"""The documentation stays true to the tree: docs/architecture.md names every module of the package
(and none that is gone), every relative link in the README and docs/ leads somewhere, and the
README stays a short guide that opens with its two set-up commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "translator_app"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LISTED = re.compile(r"^- `([\w/]+\.py)`: (\S.*)$")  # "- `core/text.py`: what it does"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def listed_modules(text: str) -> list[str]:
    return [m.group(1) for line in text.splitlines() if (m := LISTED.match(line))]


def package_modules() -> set[str]:
    return {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}


def test_the_architecture_page_lists_every_module_once():
    listed = listed_modules(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(listed) == len(set(listed)), sorted({m for m in listed if listed.count(m) > 1})
    assert set(listed) == package_modules(), {
        "not listed": sorted(package_modules() - set(listed)),
        "listed but gone": sorted(set(listed) - package_modules()),
    }


def test_a_module_added_or_removed_is_noticed():
    """The check above reads the listing the way it is written, so a missing line shows up."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert "core/sentence_ends.py" in listed_modules(text)
    without = "\n".join(line for line in text.splitlines() if not line.startswith("- `core/sentence_ends.py`"))
    assert "core/sentence_ends.py" not in listed_modules(without)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def relative_links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return [link for link in LINK.findall(text) if not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_relative_link_leads_somewhere(page):
    links = relative_links(page)
    assert links
    for link in links:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link}"
        if anchor:
            assert anchor in anchors(target), f"{page.name}: {link}"


def test_the_slug_is_githubs():
    assert slug(" Picture-caption models (Multi30k)") == "picture-caption-models-multi30k"
    assert (
        slug(" Corpus recipes: how the shipped general models are made")
        == "corpus-recipes-how-the-shipped-general-models-are-made"
    )


def test_the_readme_opens_with_the_two_set_up_commands_and_stays_short():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1].splitlines()
    assert first_block[0] == "bash"
    assert first_block[1].startswith("pip install torch==") and first_block[1].endswith("# run the app")
    assert "python -m pytest" in first_block[2] and first_block[2].endswith("# run the tests")
    assert text.count("\n") < 200


def test_the_readme_names_every_shipped_model():
    """The README's "Models shipped" table is written by hand: a model added to models/ must be added there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Models shipped\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([\w-]+-de-en)`", section))
    shipped = {p.parent.name for p in (ROOT / "models").glob("*/config.json")}
    assert named == shipped
