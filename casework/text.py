"""Vietnamese text handling: clean input, and the folded key used for search and matching.

"Nguyễn Thị Hoa", "nguyen thi hoa" and "NGUYEN  THI HOA" fold to the same key; so do
precomposed (NFC) and decomposed (NFD) input, and đ/Đ fold to d.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(value: str) -> str:
    """NFC-normalise and collapse white space: the form we store people's text in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """Lower-case, diacritic-free key for search and duplicate detection."""
    return " ".join(word for word in map(_fold_word, value.split()) if word)


@functools.lru_cache(maxsize=65_536)  # names reuse their words: an import folds 50,000
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def initials(full_name: str) -> str:
    """ "Nguyễn Thị Hoa" -> "N.T.H.": what a list shows instead of a child's name."""
    return "".join(f"{part[0].upper()}." for part in clean(full_name).split(" ") if part)


# The Vietnamese alphabet in its own order (đ after d, ă and â after a…), then the tones in
# dictionary order (none, huyền, hỏi, ngã, sắc, nặng). Letters outside it sort after z.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_WORD = 8  # letters kept per word: the longest syllable, "nghiêng", has 7


@functools.lru_cache(maxsize=65_536)  # names reuse their words: an import sorts 50,000
def _letters(word: str) -> tuple[str, str]:
    """One word as two fixed-width keys of lower-case ASCII letters: base letters, tones."""
    base, tones = "", ""
    for ch in unicodedata.normalize("NFC", word.lower())[:_WORD]:
        parts = unicodedata.normalize("NFD", ch)
        tone = next((_TONES[mark] for mark in parts if mark in _TONES), 0)
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        rank = _ALPHABET.find(letter) + 1 or len(_ALPHABET) + 1
        base += chr(ord("a") + rank // 26) + chr(ord("a") + rank % 26)
        tones += chr(ord("a") + tone)
    return base.ljust(2 * _WORD, "a"), tones.ljust(_WORD, "a")


def sort_key(full_name: str) -> str:
    """The key Vietnamese lists sort by: given name, then middle names, then family name,
    letters in the Vietnamese alphabet's order and tones breaking ties.

    ASCII lower-case letters of fixed width, so any database collation orders it alike.
    """
    words = clean(full_name).split(" ")
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    keys = [_letters(word) for word in ordered if word]
    return ("".join(b for b, _ in keys) + "".join(t for _, t in keys))[:200]
