"""XML parsing that a hostile file cannot abuse, and the bits of XML writing the XLIFF writer needs.

The same policy as the TMX reader (``core.readers.tmx``), made strict where XLIFF allows it: expat
with no namespace processing (names stay as written, so copied markup is exact), no DTD entity of
any kind (a declaration is refused, so "billion laughs" and external entities never expand or
fetch anything; expat never touches the network), and elements nested at most ``MAX_XML_DEPTH``.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

from translator_app.core.types.catalogs import CatalogError

MAX_XML_DEPTH = 100  # XLIFF needs about ten levels (xliff/file/body/group/trans-unit/target/g); more is hostile


def new_parser(name: str) -> Any:
    """An expat parser with buffered text and ordered attributes that refuses every entity declaration."""
    parser: Any = expat.ParserCreate()
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise CatalogError(
            f"{name} declares XML entities; translation files never need them and they can make a small file "
            f"expand without limit, so it is not read"
        )

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


def parse_error(name: str, exc: expat.ExpatError) -> CatalogError:
    reason = expat.ErrorString(exc.code) if exc.code else str(exc)
    return CatalogError(f"{name} is not well-formed XML (line {exc.lineno:,}, column {exc.offset + 1:,}: {reason})")


def local(qname: str) -> str:
    return qname.rpartition(":")[2]


def attributes(flat: list[str]) -> list[tuple[str, str]]:
    """expat's ordered attributes [k1, v1, k2, v2, ...] as pairs."""
    return list(zip(flat[::2], flat[1::2]))


def get(attrs: list[tuple[str, str]], key: str) -> str | None:
    return next((v for k, v in attrs if k == key), None)


def with_attribute(attrs: list[tuple[str, str]], key: str, value: str | None) -> list[tuple[str, str]]:
    """``attrs`` with ``key`` set to ``value`` in its place (or appended), or removed when ``value`` is None."""
    out = [(k, v) for k, v in attrs if k != key or value is not None]
    if value is None:
        return out
    if any(k == key for k, _ in out):
        return [(k, value if k == key else v) for k, v in out]
    return [*out, (key, value)]


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    return escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def start_tag(qname: str, attrs: list[tuple[str, str]], *, empty: bool = False) -> str:
    inner = "".join(f' {k}="{escape_attribute(v)}"' for k, v in attrs)
    return f"<{qname}{inner}{'/' if empty else ''}>"


_TAG_END = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


def tag_end(data: bytes, start: int) -> int:
    """The offset just past the tag that starts at ``data[start]`` (quoted ``>`` in attributes skipped)."""
    match = _TAG_END.match(data, start)
    if match is None:  # expat accepted the file, so this cannot happen; say so rather than corrupt it
        raise CatalogError(f"internal error: no tag end after byte {start:,}")
    return match.end()
