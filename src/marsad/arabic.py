"""Arabic text normalisation: a *display* form and a *match* form.

* :func:`display` is what the outlet wrote, cleaned of junk: zero-width and bidi controls removed,
  odd spaces made plain, tatweel removed, Persian/Urdu letters mapped to their Arabic equivalents,
  presentation-form ligatures decomposed, Persian digits written as Arabic-Indic ones. Harakat and
  quotes stay as written.
* :func:`match` is for comparing, fingerprinting and searching: the display form with diacritics and
  Quranic marks removed, alef/hamza variants folded (أ إ آ ٱ → ا, ؤ ئ → ء), alef maqsura → yeh,
  teh marbuta → heh, every digit ASCII, «» “ ” quotes → ``"``, Arabic punctuation → Latin
  punctuation, Latin letters case-folded. It never changes the number of words.

Each step is one small function over one table or regex compiled at module level.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

__all__ = [
    "ARABIC_LETTER",
    "dediacritise",
    "display",
    "fold_alef",
    "fold_digits",
    "fold_persian",
    "fold_quotes",
    "is_arabic",
    "match",
    "match_tokens",
    "split_match",
    "remove_controls",
    "remove_tatweel",
    "normalise_spaces",
]

ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"

# Zero-width characters, bidi controls, BOM, soft hyphen, Arabic letter mark.
_CONTROLS_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# NBSP and the other odd spaces (tab included) become a plain space; newlines are kept.
_SPACES_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_MULTISPACE_RE = re.compile(" {2,}")
_TATWEEL_RE = re.compile("\u0640+")
# Harakat, shadda, sukun, superscript alef, Quranic annotation marks and extended Arabic marks.
_DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff]")
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]+")

_PERSIAN_TABLE = str.maketrans(
    {
        "\u06a9": "\u0643",  # ک keheh → ك
        "\u06aa": "\u0643",  # ڪ swash kaf → ك
        "\u06cc": "\u064a",  # ی farsi yeh → ي
        "\u06d0": "\u064a",  # ې → ي
        "\u06d5": "\u0647",  # ە ae → ه
        "\u06c1": "\u0647",  # ہ heh goal → ه
        "\u06be": "\u0647",  # ھ heh doachashmee → ه
        "\u06c0": "\u0629",  # ۀ heh with yeh above → ة
        "\u06c3": "\u0629",  # ۃ teh marbuta goal → ة
        "\u06f0": "\u0660",
        "\u06f1": "\u0661",
        "\u06f2": "\u0662",
        "\u06f3": "\u0663",
        "\u06f4": "\u0664",
        "\u06f5": "\u0665",
        "\u06f6": "\u0666",
        "\u06f7": "\u0667",
        "\u06f8": "\u0668",
        "\u06f9": "\u0669",
    }
)
_ALEF_TABLE = str.maketrans(
    {
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ wasla
        "\u0672": "\u0627",
        "\u0673": "\u0627",
        "\u0675": "\u0627",
        "\u0624": "\u0621",  # ؤ → ء
        "\u0626": "\u0621",  # ئ → ء
        "\u0649": "\u064a",  # ى alef maqsura → ي
        "\u0629": "\u0647",  # ة teh marbuta → ه
    }
)
_DIGIT_TABLE = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u066b": ".",
        "\u066c": ",",
    }
)
_QUOTE_TABLE = str.maketrans(
    {
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "‹": '"',
        "›": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "،": ",",
        "؛": ";",
        "؟": "?",
        "٪": "%",
        "۔": ".",
    }
)
_PERSIAN_RE = re.compile("[" + "".join(chr(c) for c in _PERSIAN_TABLE) + "]")
_ARABIC_RE = re.compile(f"[{ARABIC_LETTER}]")
_TOKEN_RE = re.compile(f"[{ARABIC_LETTER}\u0621]+|[0-9]+(?:[.,][0-9]+)*|[a-z]+", re.IGNORECASE)


def remove_controls(text: str) -> str:
    """Remove zero-width characters, bidi controls, the BOM and soft hyphens."""
    return _CONTROLS_RE.sub("", text)


def normalise_spaces(text: str) -> str:
    """NBSP, tabs and other odd spaces become one plain space; runs of spaces collapse; lines trimmed."""
    text = _MULTISPACE_RE.sub(" ", _SPACES_RE.sub(" ", text))
    if "\n" in text or text[:1] == " " or text[-1:] == " ":
        text = "\n".join(line.strip(" ") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return text


def remove_tatweel(text: str) -> str:
    """Remove tatweel (kashida) ـ."""
    return _TATWEEL_RE.sub("", text)


def _decompose_presentation(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group(0))


def fold_persian(text: str) -> str:
    """Map Persian/Urdu letters to their Arabic equivalents and Persian digits to Arabic-Indic ones,
    and decompose presentation forms (ﻻ → لا)."""
    if _PRESENTATION_RE.search(text):
        text = _PRESENTATION_RE.sub(_decompose_presentation, text)
    if _PERSIAN_RE.search(text):  # most pages have none: skip the per-character translate
        text = text.translate(_PERSIAN_TABLE)
    return text


def dediacritise(text: str) -> str:
    """Remove harakat, shadda, sukun, superscript alef and Quranic marks."""
    return _DIACRITICS_RE.sub("", text)


def fold_alef(text: str) -> str:
    """Fold alef/hamza variants, alef maqsura and teh marbuta (match form only)."""
    return text.translate(_ALEF_TABLE)


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits (and the Arabic decimal/thousands marks) → ASCII."""
    return text.translate(_DIGIT_TABLE)


def fold_quotes(text: str) -> str:
    """«» “ ” and friends → ``"``; Arabic comma, semicolon, question mark → Latin ones."""
    return text.translate(_QUOTE_TABLE)


def display(text: str) -> str:
    """The display form: what the outlet wrote, cleaned of invisible junk and foreign letter forms."""
    return normalise_spaces(remove_tatweel(fold_persian(remove_controls(text))))


def _compose(*tables: dict[int, str | int | None]) -> dict[int, str | None]:
    """One translate table doing ``tables`` one after the other (single characters only)."""
    out: dict[int, str | None] = {}
    keys = set().union(*tables)
    for key in keys:
        value: str | None = chr(key)
        for table in tables:
            if value is None:
                break
            if len(value) == 1 and ord(value) in table:
                mapped = table[ord(value)]
                value = chr(mapped) if isinstance(mapped, int) else mapped
        out[key] = value
    return out


def _removal_table(pattern: re.Pattern[str]) -> dict[int, str | int | None]:
    """Every character of a ``[...]`` class pattern, mapped to None (walks the class's ranges only)."""
    body = pattern.pattern.strip("[]+")
    out: dict[int, str | int | None] = {}
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.update((c, None) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            out[ord(body[i])] = None
            i += 1
    return out


# every per-character step of the match form in one pass (see match())
_MATCH_TABLE = _compose(
    _removal_table(_CONTROLS_RE),
    _removal_table(_TATWEEL_RE),
    dict(_PERSIAN_TABLE),
    _removal_table(_DIACRITICS_RE),
    dict(_ALEF_TABLE),
    dict(_DIGIT_TABLE),
    dict(_QUOTE_TABLE),
)


_DROP = 0xFFFFFFFF
_MATCH_LUT: np.ndarray | None = None  # code point → match-form code point (or _DROP), built on first use


def _match_lut() -> np.ndarray:
    global _MATCH_LUT
    if _MATCH_LUT is None:
        lut = np.arange(0x110000, dtype=np.uint32)
        for key, value in _MATCH_TABLE.items():
            lut[key] = _DROP if value is None else ord(value)
        _MATCH_LUT = lut
    return _MATCH_LUT


def _translate_match(text: str) -> str:
    """``text.translate(_MATCH_TABLE)``; long texts go through a numpy lookup table (several times faster)."""
    if len(text) < 200:
        return text.translate(_MATCH_TABLE)
    codes = _match_lut()[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    return codes[codes != _DROP].tobytes().decode("utf-32-le", "surrogatepass")


def match(text: str) -> str:
    """The match form, for comparing, fingerprinting and searching (see module docstring).

    Equivalent to ``fold_quotes(fold_digits(fold_alef(dediacritise(display(text))))).casefold()``,
    done as one translate pass."""
    if _PRESENTATION_RE.search(text):
        text = _PRESENTATION_RE.sub(_decompose_presentation, text)
    return normalise_spaces(_translate_match(text)).casefold()


def match_tokens(text: str) -> list[str]:
    """Words of the match form: runs of Arabic letters, numbers and Latin words."""
    return split_match(match(text))


def split_match(form: str) -> list[str]:
    """The words of a text already in the match form: ``match_tokens(t) == split_match(match(t))``."""
    return _TOKEN_RE.findall(form)


def is_arabic(text: str, threshold: float = 0.5) -> bool:
    """True when at least ``threshold`` of the letters in ``text`` are Arabic."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if _ARABIC_RE.match(c)) / len(letters) >= threshold
