"""The one rule for invisible format characters in free text, applied to every way text comes in.

Bidirectional controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C) make a PDF or page
show text in an order other than the one it is stored in, so "Complete" can be typed to read as
something else, and a reviewer sees one thing while the record holds another. They and every other
character of Unicode category Cf (format characters: invisible, no width) are removed on input.

Two are kept, because ordinary text needs them and they cannot reorder anything: U+200D ZERO WIDTH
JOINER (emoji sequences, and joining in scripts such as Arabic and the Indic ones) and U+200C ZERO WIDTH
NON-JOINER (Persian and the Indic scripts). Accepted cost: the rare emoji built from tag characters
(the flags of England, Scotland and Wales) lose their tags and show as a plain black flag.

It lives here, beside the spreadsheet checks, because both assessments and actionplan call it and
actionplan may not import assessments.
"""

from __future__ import annotations

import unicodedata

KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})


def without_invisible_formatting(text: str) -> str:
    """`text` without bidi controls and other format (Cf) characters, but for the joiners text needs."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if ch in KEPT_FORMAT_CHARACTERS or unicodedata.category(ch) != "Cf")
