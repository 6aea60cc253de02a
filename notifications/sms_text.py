"""SMS text as carriers count it: GSM-7 or UCS-2, and how many segments a text costs.

A text made only of GSM 03.38 characters travels in 7-bit units: 160 in a single SMS,
153 per part once it is split (the rest of each part is the concatenation header);
``^{}[]~|\\€`` and form feed take two units each (an escape and the character) and are
never split across parts. Any other character, such as Vietnamese "ư", "ạ" or "đ", makes
the whole text UCS-2: 70 UTF-16 units in a single SMS, 67 per part, and a character
outside the Basic Multilingual Plane takes two units that stay together. That is why
Vietnamese SMS are often sent without diacritics (``unaccent``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SmsSize:
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def unaccent(text: str) -> str:
    """Vietnamese without diacritics, as people write SMS: "Hồ sơ đã quá hạn" -> "Ho so da
    qua han". Letters keep their case; everything else is left alone."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _parts(widths: list[int], single: int, part: int) -> int:
    """Segments for characters of the given widths: one if all fit in ``single``, else
    parts of at most ``part`` units, a character never split between two parts."""
    if sum(widths) <= single:
        return 1
    segments, used = 1, 0
    for width in widths:
        if used + width > part:
            segments, used = segments + 1, 0
        used += width
    return segments


def measure(text: str) -> SmsSize:
    """The encoding a handset would use for ``text``, its length in units and its segments."""
    if is_gsm7(text):
        widths = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        return SmsSize("GSM-7", sum(widths), _parts(widths, GSM7_SINGLE, GSM7_PART))
    widths = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return SmsSize("UCS-2", sum(widths), _parts(widths, UCS2_SINGLE, UCS2_PART))


def max_units(encoding: Encoding, segments: int) -> int:
    """How many units fit in ``segments`` parts (for a length budget)."""
    if encoding == "GSM-7":
        return GSM7_SINGLE if segments == 1 else GSM7_PART * segments
    return UCS2_SINGLE if segments == 1 else UCS2_PART * segments
