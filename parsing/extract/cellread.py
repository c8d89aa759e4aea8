"""What an OCR'd table cell says: its text, and whether a number in it can be trusted.

A cell is looked at up to four times (``cells`` runs the passes):

* ``text``: every cell with ink, with ``chi_sim+eng`` (labels, "/" and "—"
  come out as written);
* ``number``: a cell whose text has no CJK character (a number, or letters
  tesseract made of one), at another size;
* ``third``: when those two do not read the same clean number, once more at
  a third size, to break the tie;
* ``label``: a cell whose text has Latin letters, with the Chinese model
  alone — the English one sometimes wins over it on a label ("（七）总计" as
  "(七) Sit"); the tables print no Latin letters.

A number is what most looks read (letters tesseract confuses with digits
folded, stray points at the ends dropped; on a tie, the text look). It is
*trusted* when at least two looks read it and one of them read it exactly,
at least ``LOW_CONFIDENCE`` sure; otherwise it is kept but flagged (the
report's ``low_confidence_cells``). A cell that may be a number but that no
look made a clean number or CJK text of is ``UNREADABLE``: the table reader
then leaves its row out (listed in ``missing``) rather than guess. A label is
mended against the official wording (``lexicon``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..normalise import is_null_marker
from . import lexicon
from .tesseract import Pass, Word, lines

TEXT_PASS = Pass("chi_sim+eng", 6)
NUMBER_PASS = Pass("chi_sim+eng", 6)
LABEL_PASS = Pass("chi_sim", 6)
NUMBER_LOOKS = ("text", "number", "third")
LOW_CONFIDENCE = 80.0           # an exact reading below this confidence (0–100) does not vouch for a number
UNREADABLE = "?"                # printed instead of a number that could not be read cleanly
MAX_NUMBER_CHARS = 16           # a longer text is not a table number
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r",(?=\d{1,2}$)")   # "747,76": a misread point (a thousands comma has 3 digits)
_THOUSANDS = re.compile(r",(?=\d{3}(?:\D|$))")
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
                             "!": "1", "]": "1", "[": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2",
                             "g": "9", "q": "9", "b": "6", "G": "6", "—": "-", "–": "-", "_": "-",
                             "。": ".", "、": "."})


@dataclass(frozen=True)
class Reading:
    """A cell's text; ``number`` when it was read as a number, ``trusted`` when that number is confident."""

    text: str
    number: bool = False
    trusted: bool = True
    confidences: tuple[float, ...] = ()


EMPTY = Reading("")    # a cell without ink


@dataclass(frozen=True)
class _Look:
    raw: str        # as read, spaces dropped
    value: str      # read as a number (folded), maybe not a clean one
    conf: float     # the lowest word confidence


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
    """True when the text look may be a number: no CJK, not a blank marker (nothing read counts)."""
    text = text_of(words).replace(" ", "")
    return not is_null_marker(text) and len(text) <= MAX_NUMBER_CHARS and not any(is_cjk(ch) for ch in text)


def wants_label(words: list[Word]) -> bool:
    """True when the text look has Latin letters, or nothing: a label may hide behind it."""
    text = text_of(words)
    return not text or any("a" <= ch.lower() <= "z" for ch in text)


def disputed(text_words: list[Word], number_words: list[Word]) -> bool:
    """True when one of the text and number looks read a clean number and the other did not read the same."""
    a, b = _look(text_words), _look(number_words)
    clean = [bool(_NUMBER.fullmatch(t.value)) for t in (a, b)]
    return any(clean) and not (all(clean) and a.value == b.value)


def reading(looks: dict[str, list[Word]], minus: bool = False) -> Reading:
    """The cell's Reading from its looks (``text`` always; ``number``, ``third``, ``label`` when taken).

    ``minus``: the cell's ink starts with a short level bar (``cells`` measures
    it). Tesseract sometimes drops the minus of a short number ("-4" as "4")
    in every look; the sign then comes from the ink and the number is flagged.
    """
    text = text_of(looks["text"])
    if "number" in looks:
        found = _signed(_number(looks), minus)
        if found:
            return found
    label_text = text_of(looks.get("label", []))
    if any(is_cjk(ch) for ch in label_text):
        return Reading(lexicon.correct(label_text), confidences=_confs(looks["label"]))
    if "number" in looks and not any(is_cjk(ch) for ch in text):
        return Reading(UNREADABLE, trusted=False, confidences=_confs(looks["text"]))
    return Reading(lexicon.correct(text), confidences=_confs(looks["text"]))


def _number(looks: dict[str, list[Word]]) -> Reading | None:
    """The number most looks read, trusted or flagged; None when no look read a clean number."""
    taken = [_look(looks[name]) for name in NUMBER_LOOKS if name in looks]
    clean = [t for t in taken if _NUMBER.fullmatch(t.value)]
    if not clean:
        return None
    votes = Counter(t.value for t in clean)
    value = max(votes, key=lambda v: (votes[v], v == taken[0].value))
    agreeing = [t for t in clean if t.value == value]
    trusted = len(agreeing) >= 2 and any(t.raw == value and t.conf >= LOW_CONFIDENCE for t in agreeing)
    return Reading(value, number=True, trusted=trusted, confidences=tuple(t.conf for t in agreeing))


def _signed(found: Reading | None, minus: bool) -> Reading | None:
    """``found`` with the sign the ink shows; flagged when the looks said otherwise."""
    if found is None or found.text.startswith("-") == minus:
        return found
    text = "-" + found.text if minus else found.text.lstrip("-")
    return Reading(text, number=True, trusted=False, confidences=found.confidences)


def _look(words: list[Word]) -> _Look:
    raw = text_of(words).replace(" ", "")
    return _Look(raw, _as_number(raw), min((w.conf for w in words), default=0.0))


def _as_number(text: str) -> str:
    """A look read as a number: lookalike letters folded, thousands commas dropped, a decimal comma made a
    point, stray points at the ends dropped (a speck read as "." or "、")."""
    folded = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    return _DECIMAL_COMMA.sub(".", _THOUSANDS.sub("", folded)).strip(".")


def _confs(words: list[Word]) -> tuple[float, ...]:
    return tuple(w.conf for w in words)


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: no space is printed next to them."""
    return is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
