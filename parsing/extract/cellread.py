"""What an OCR'd table cell says: its text, and whether a number in it can be trusted.

Every cell with ink is read by the text pass (``chi_sim+eng``, so labels, "/"
and "—" come out as written). Two more passes (``cells`` runs them) look
again where that reading is doubtful:

* the *number* pass reads, at another size, a cell whose text has no CJK
  character (a number, or letters tesseract made of one). The number is the
  text pass's (letters it confuses with digits folded, stray points at the
  ends dropped), or the number pass's when the text pass gave none. It is
  *trusted* only when it needed no mending, both passes agree and the text
  pass was at least ``LOW_CONFIDENCE`` sure; otherwise it is kept but flagged
  (the report's ``low_confidence_cells``).
* the *label* pass reads with ``chi_sim`` alone a cell whose text has Latin
  letters: the English model sometimes wins over the Chinese one on a label
  ("（七）总计" as "(七) Sit"). The tables print no Latin letters.

A label is mended against the official wording (``lexicon``). A cell that
may be a number but that no pass made a clean number or CJK text of is
``UNREADABLE``: the table reader then leaves its row out (listed in
``missing``) rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..normalise import is_null_marker
from . import lexicon
from .tesseract import Pass, Word, lines

TEXT_PASS = Pass("chi_sim+eng", 6)
NUMBER_PASS = Pass("chi_sim+eng", 6)
LABEL_PASS = Pass("chi_sim", 6)
LOW_CONFIDENCE = 80.0           # a number read below this confidence (0–100) is flagged for checking
UNREADABLE = "?"                # printed instead of a number that could not be read cleanly
MAX_NUMBER_CHARS = 16           # a longer text is not a table number
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
                             "!": "1", "]": "1", "[": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2",
                             "g": "9", "q": "9", "b": "6", "G": "6", "—": "-", "–": "-", "_": "-", ",": ".",
                             "，": ".", "。": ".", "、": "."})


@dataclass(frozen=True)
class Reading:
    """A cell's text; ``number`` when it was read as a number, ``trusted`` when that number is confident."""

    text: str
    number: bool = False
    trusted: bool = True
    confidences: tuple[float, ...] = ()


EMPTY = Reading("")    # a cell without ink


def text_of(words: list[Word]) -> str:
    """A cell's words as text: lines of a wrapped cell joined directly; words on a line joined by a space
    only between two non-CJK characters (tesseract splits Chinese into words where none are printed)."""
    return "".join(join_words([w.text for w in line]) for line in lines(words))


def join_words(texts: list[str]) -> str:
    out = ""
    for text in texts:
        out += " " + text if out and not _is_wide(out[-1]) and not _is_wide(text[0]) else text
    return out


def wants_number(words: list[Word]) -> bool:
    """True when the text reading may be a number: no CJK, not a blank marker (nothing read counts)."""
    text = text_of(words).replace(" ", "")
    return not is_null_marker(text) and len(text) <= MAX_NUMBER_CHARS and not any(is_cjk(ch) for ch in text)


def wants_label(words: list[Word]) -> bool:
    """True when the text reading has Latin letters, or nothing: a label may hide behind it."""
    text = text_of(words)
    return not text or any("a" <= ch.lower() <= "z" for ch in text)


def reading(text_words: list[Word], number_words: list[Word] | None, label_words: list[Word] | None) -> Reading:
    """The cell's Reading from its text pass and the number and label passes that were run on it."""
    text = text_of(text_words)
    if number_words is not None:
        found = _number(text_words, number_words)
        if found:
            return found
    if label_words is not None and any(is_cjk(ch) for ch in text_of(label_words)):
        return Reading(lexicon.correct(text_of(label_words)), confidences=tuple(w.conf for w in label_words))
    if number_words is not None and not any(is_cjk(ch) for ch in text):
        return Reading(UNREADABLE, trusted=False, confidences=tuple(w.conf for w in text_words))
    return Reading(lexicon.correct(text), confidences=tuple(w.conf for w in text_words))


def _number(text_words: list[Word], number_words: list[Word]) -> Reading | None:
    """The number the two passes read, trusted or flagged; None when neither read a clean number."""
    text = text_of(text_words).replace(" ", "")
    confs = tuple(w.conf for w in text_words)
    number, checked = _as_number(text), _as_number(text_of(number_words))
    if _NUMBER.fullmatch(number):
        trusted = number == text and checked == number and min(confs) >= LOW_CONFIDENCE
        return Reading(number, number=True, trusted=trusted, confidences=confs)
    if _NUMBER.fullmatch(checked):
        return Reading(checked, number=True, trusted=False, confidences=tuple(w.conf for w in number_words))
    return None


def _as_number(text: str) -> str:
    """The text pass read as a number: spaces dropped, lookalike letters folded, stray points at the ends
    dropped (a speck read as "." or "、")."""
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").translate(_LOOKALIKES)
    return folded.strip(".")


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: no space is printed next to them."""
    return is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
