"""Vietnamese text handling: clean input, and the folded key used for search and matching.

"Nguyễn Thị Hoa", "nguyen thi hoa" and "NGUYEN  THI HOA" fold to the same key; so do
precomposed (NFC) and decomposed (NFD) input, and đ/Đ fold to d.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(value: str) -> str:
    """NFC-normalise and collapse white space: the form we store people's text in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """Lower-case, diacritic-free key for search and duplicate detection."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def initials(full_name: str) -> str:
    """ "Nguyễn Thị Hoa" -> "N.T.H.": what a list shows instead of a child's name."""
    return "".join(f"{part[0].upper()}." for part in clean(full_name).split(" ") if part)
