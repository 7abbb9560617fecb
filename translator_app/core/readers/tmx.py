"""TMX translation memories: the German and the English segment of each translation unit."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from translator_app.core.readers.detect import DE_FILE_CODES, EN_FILE_CODES
from translator_app.core.readers.report import Collector
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import READ_ERRORS, Source, io_error, open_binary

_MAX_XML_DEPTH = 100  # a TMX needs about ten levels (tmx/body/tu/tuv/seg and inline tags); more is hostile
_PLACEHOLDERS = {"ph", "bpt", "ept", "it", "ut"}  # their content is markup, not text


def _local(tag: object) -> str:
    return tag.rpartition("}")[2].lower() if isinstance(tag, str) else ""


def _seg_text(elem: ET.Element) -> str:
    """The text of a segment without its placeholders' markup.

    Recursion is safe: ``read_tmx`` refuses elements nested deeper than ``_MAX_XML_DEPTH``.
    """
    parts = [elem.text or ""]
    for child in elem:
        if _local(child.tag) not in _PLACEHOLDERS:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tuv_language(tuv: ET.Element) -> str:
    """Primary language subtag of xml:lang (TMX 1.4) or lang (TMX 1.1), e.g. "EN_us" -> "en"."""
    for key, value in tuv.attrib.items():
        if _local(key) == "lang":
            code = value.strip().lower().replace("_", "-").split("-")[0]
            if code in DE_FILE_CODES:
                return "de"
            if code in EN_FILE_CODES:
                return "en"
            return code
    return ""


def _unit_texts(unit: ET.Element, languages: Counter[str]) -> dict[str, str]:
    """The first German and the first English segment of a translation unit, by language; every
    variant's language is counted in ``languages``, for the message when no unit has both."""
    texts: dict[str, str] = {}
    for tuv in unit:
        if _local(tuv.tag) != "tuv":
            continue
        language = _tuv_language(tuv)
        languages[language or "?"] += 1
        if language in ("de", "en") and language not in texts:
            seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
            texts[language] = _seg_text(seg) if seg is not None else ""
    return texts


def read_tmx(src: Source, col: Collector) -> None:
    units = 0
    stopped = False
    languages: Counter[str] = Counter()
    try:
        with open_binary(src.path, src.gzipped) as raw:
            stack: list[ET.Element] = []
            for event, elem in ET.iterparse(raw, events=("start", "end")):
                if event == "start":
                    stack.append(elem)
                    if len(stack) > _MAX_XML_DEPTH:
                        raise ParallelDataError(
                            f"{src.name} nests XML elements more than {_MAX_XML_DEPTH} deep; a TMX file needs "
                            f"about ten levels, so this one is broken or not a translation memory"
                        )
                    continue
                stack.pop()
                if _local(elem.tag) != "tu":
                    continue
                if col.done:
                    stopped = True
                    break
                units += 1
                texts = _unit_texts(elem, languages)
                if "de" in texts and "en" in texts:
                    col.add(texts["de"], texts["en"])
                else:
                    col.skip("missing language")
                if stack:  # drop finished units so memory stays flat on big files
                    stack[-1].remove(elem)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, -1))
        reason = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        raise ParallelDataError(f"{src.name} is not well-formed XML (line {line:,}, column {column + 1:,}: {reason})") from exc
    except READ_ERRORS as exc:
        raise io_error(src.name, src.gzipped, exc) from exc
    if stopped:
        return
    if units == 0:
        raise ParallelDataError(f"{src.name} has no translation units (<tu> elements); is it really a TMX file?")
    if col.kept == 0 and col.skipped["missing language"] == units:
        found = ", ".join(sorted(languages)) or "none"
        raise ParallelDataError(f"{src.name} has no translation unit with both German and English (languages found: {found})")
