"""Two line-aligned files: line n of the German file is the translation of line n of the English one."""

from __future__ import annotations

from contextlib import closing

from translator_app.core.readers.lines import LongLine, has_text, iter_text_lines
from translator_app.core.readers.report import Collector
from translator_app.core.types.errors import ParallelDataError
from translator_app.core.readers.sniff import Source


def read_aligned(srcs: list[Source], col: Collector) -> None:
    de_src, en_src = srcs
    with closing(iter_text_lines(de_src)) as de_lines, closing(iter_text_lines(en_src)) as en_lines:
        count = 0
        while not col.done:
            german = next(de_lines, None)
            english = next(en_lines, None)
            if german is None or english is None:
                break
            count += 1
            if isinstance(german, LongLine) or isinstance(english, LongLine):
                col.skip("too long")
            else:
                col.add(german, english)
        else:
            return  # stopped at the limit
        # One file ran out first. Trailing blank lines are harmless; any more text is misalignment.
        if german is not None:
            longer, first_extra = de_lines, german
        elif english is not None:
            longer, first_extra = en_lines, english
        else:
            return  # both ran out together
        extra, any_text = 1, has_text(first_extra)
        for line in longer:
            extra += 1
            any_text = any_text or has_text(line)
        if any_text:
            de_count = count + (extra if english is None else 0)
            en_count = count + (extra if german is None else 0)
            raise ParallelDataError(
                f"{de_src.name} has {de_count:,} line{'' if de_count == 1 else 's'} but {en_src.name} has "
                f"{en_count:,}; the two files must be line-aligned (line n of one is the translation of line n "
                f"of the other)"
            )
