"""Arabic sentence splitting.

Rules, in order of precedence:

* a newline is a hard break; a bullet (``•``, ``-``, ``*``, ``▪``, ``●``, ``·``, ``1.``) that starts a
  line is removed and its item is a sentence of its own; a ``•`` inside a line also breaks;
* a sentence ends at ``.``, ``!``, ``?``, ``؟`` (and runs such as ``؟!``), together with the closing
  quotes and brackets that follow it;
* it never ends at ``،`` or ``؛``;
* a period is not an end inside a number (``3.5``, ``٣.٥``; ``٣٫٥`` has no period at all), after a
  single letter (abbreviations and agency marks: ``د.``, ``م.``, ``أ.ف.ب``, ``د.ب.أ``, ``U.S.``)
  unless that letter follows a number (``1827م.``, ``1770 م.``, ``500 ق.م.`` end a sentence), nor
  before a Latin letter or digit with no space (``aljazeera.net``); a period glued to the next Arabic
  word after a word of two letters or more (``التاسعة.فجاءت``) is an end;
* an ellipsis (``...``, ``..``, ``…``) ends a sentence only when at least ``MIN_WORDS_AROUND_ELLIPSIS``
  words stand on each side of it on the same line (otherwise it is a pause);
* inside «», “” or "" quotes nothing ends a sentence unless the quote is itself long enough to hold
  full sentences: a break inside a quote needs ``MIN_WORDS_IN_QUOTE`` words before it (since the quote
  opened or the previous break) and after it (up to the quote's end). A stop right before the quote
  closes (``.»``) ends the sentence after the closing mark. Unmatched quote marks are ignored.
"""

from __future__ import annotations

import re

__all__ = [
    "MIN_WORDS_AROUND_ELLIPSIS",
    "MIN_WORDS_IN_QUOTE",
    "paragraphs",
    "sentence_spans",
    "split_sentences",
]

MIN_WORDS_IN_QUOTE = 8
MIN_WORDS_AROUND_ELLIPSIS = 3

_LETTER = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06fa-\u06fcA-Za-z"
_BULLET_RE = re.compile(r"^\s*(?:[•▪●·◦‣*]|[-–—](?=\s)|[0-9\u0660-\u0669]{1,2}[.)-](?=\s))\s*")
_INLINE_BULLET_RE = re.compile(r"\s[•▪●◦‣]\s")
# A stop: a run of ., !, ?, ؟, … (an ellipsis is a run with two dots or more, or …).
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_LINE_RE = re.compile(r"[^\r\n]+")
_STOP_RE = re.compile(r"[.!?؟…]+")
_CLOSERS = "»”\"')]}›"
_WORD_RE = re.compile(f"[{_LETTER}0-9\u0660-\u0669]+")
_CONTENT_RE = re.compile(f"[{_LETTER}0-9\u0660-\u0669]")
_DIGIT = frozenset("0123456789" + "".join(chr(0x0660 + k) + chr(0x06F0 + k) for k in range(10)))
_ARABIC_LETTER_RE = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]")
_LINE_END_RE = re.compile(r"[.!?؟…:][»”\"')\]]*\s*$")
_SINGLE_LETTER_NEXT_RE = re.compile(f"\\s*[{_LETTER}](?:[.،,]|\\s|$)")
_PAIRS = {"«": "»", "“": "”", "‹": "›"}


def _quote_spans(line: str) -> list[tuple[int, int]]:
    """Matched quote spans (open index, close index) in one line; unmatched marks are ignored."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    ascii_open: int | None = None
    for i, ch in enumerate(line):
        if ch in _PAIRS:
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            spans.append((stack.pop()[1], i))
        elif ch in "»”›":
            # a closer with no opener of its kind: close the nearest matching opener if any
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ch:
                    spans.append((stack[k][1], i))
                    del stack[k:]
                    break
        elif ch == '"':
            if ascii_open is None:
                ascii_open = i
            else:
                spans.append((ascii_open, i))
                ascii_open = None
    return spans


def _words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _prev_token(line: str, end: int) -> str:
    """The whitespace-delimited token that ends at ``end`` (exclusive)."""
    start = end
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:end]


def _period_is_stop(line: str, i: int) -> bool:
    """Whether the single period at ``line[i]`` ends a sentence (decimals, abbreviations…)."""
    before = line[i - 1] if i > 0 else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if before in _DIGIT and after in _DIGIT:
        return False  # 3.5
    if after and not after.isspace() and after not in _CLOSERS:
        # glued to what follows: a new sentence only before an Arabic word, after a real word
        if not _ARABIC_LETTER_RE.match(after):
            return False  # aljazeera.net, 1.2, U.S.
        token = _prev_token(line, i)
        letters = re.sub(f"[^{_LETTER}]", "", token.split(".")[-1])
        return len(letters) >= 2
    token = _prev_token(line, i).lstrip("(«“\"'[")
    if token[-1:] in _CLOSERS:
        return True  # (أ.ف.ب). ends a sentence
    last = token.split(".")[-1]
    letters = re.sub(f"[^{_LETTER}]", "", last)
    if len(letters) == 2 and letters[0] in "وفبل" and "." not in token:
        letters = letters[1:]  # وم. ود. (a conjunction or preposition glued to the abbreviation)
    if len(letters) != 1:
        return True
    # a single letter (د. م. أ.ف.ب U.S.) is an abbreviation, unless it follows a number (1827م. 1770 م.)
    if _SINGLE_LETTER_NEXT_RE.match(line, i + 1):
        return False  # ق. م. — the abbreviation goes on
    if last[:1] in _DIGIT:
        return True
    head = line[: i - len(token)].rstrip()
    prev = _prev_token(head, len(head))
    return bool(prev) and prev[-1] in _DIGIT


def _line_breaks(line: str) -> list[int]:
    """Offsets in ``line`` where a sentence ends (exclusive end of the sentence)."""
    quotes = _quote_spans(line)
    breaks: list[int] = []
    last = 0
    for m in _STOP_RE.finditer(line):
        i, j = m.start(), m.end()
        run = m.group(0)
        ellipsis = "…" in run or run.count(".") >= 2
        if run == ".":
            if not _period_is_stop(line, i):
                continue
        # absorb closing quotes/brackets right after the stop
        k = j
        while k < len(line) and line[k] in _CLOSERS:
            k += 1
        end = k
        # a following stop glued to the closer (».) belongs to this sentence too
        while end < len(line) and line[end] in ".!?؟…":
            end += 1
        if end < len(line) and not line[end].isspace() and not (run == "." and end == j):
            if not _ARABIC_LETTER_RE.match(line[end]):
                continue  # e.g. "?)-" or "...," mid-token
        inside = [(a, b) for a, b in quotes if a < i and b >= j and not (k > b)]
        if inside:
            a, b = min(inside, key=lambda s: s[1] - s[0])
            if _words(line[max(a, last) : i]) < MIN_WORDS_IN_QUOTE or _words(line[end:b]) < MIN_WORDS_IN_QUOTE:
                continue
        if ellipsis and (
            _words(line[last:i]) < MIN_WORDS_AROUND_ELLIPSIS or _words(line[end:]) < MIN_WORDS_AROUND_ELLIPSIS
        ):
            continue
        if _words(line[end:]) == 0:
            continue  # the line's end is a break anyway
        breaks.append(end)
        last = end
    return breaks


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of each sentence of ``text`` (bullets and spaces excluded)."""
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        raw, line_start = line.group(0), line.start()
        m = _BULLET_RE.match(raw)
        begin = m.end() if m else 0
        pieces: list[tuple[int, int]] = []
        cut = begin
        for b in _INLINE_BULLET_RE.finditer(raw, begin):
            pieces.append((cut, b.start()))
            cut = b.end()
        pieces.append((cut, len(raw)))
        for p_start, p_end in pieces:
            part = raw[p_start:p_end]
            prev = 0
            for brk in [*_line_breaks(part), len(part)]:
                s, e = prev, brk
                prev = brk
                while s < e and part[s].isspace():
                    s += 1
                while e > s and part[e - 1].isspace():
                    e -= 1
                if s < e and _CONTENT_RE.search(part, s, e):
                    spans.append((line_start + p_start + s, line_start + p_start + e))
    return spans


def quote_joined_spans(text: str, max_words: int) -> list[tuple[int, int]]:
    """:func:`sentence_spans`, with the sentences a quote was cut into (a quote long enough to hold full
    sentences, see the module docstring) joined back into one span when the whole has at most ``max_words``
    words: a reader shown one piece of «“… التناقص. تصبح المجر …”» gets half a quote."""
    spans = sentence_spans(text)
    if len(spans) < 2:
        return spans
    quotes: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text):
        quotes += [(line.start() + a, line.start() + b) for a, b in _quote_spans(line.group(0))]
    if not quotes:
        return spans
    out = [spans[0]]
    for s, e in spans[1:]:
        ps, pe = out[-1]
        inside = any(a < pe and s <= b for a, b in quotes)  # the break between them lies inside a quote
        if inside and _words(text[ps:e]) <= max_words:
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each stripped, in order (see the module docstring for the rules)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a plain text: its non-empty lines, stripped, with hard wrapping undone.

    A text is hard-wrapped (printed, e-mailed or OCR'd text cut at a fixed width) when at least four
    lines stand together, at least half of them end without a stop (``. ! ? ؟ … :`` or a closing mark)
    and those lines are typically five words or longer (not a list of headings). In such a text a line
    without a stop runs on into the next one, unless a blank line or a bullet comes between them.
    Other texts keep one paragraph per non-empty line.
    """
    blocks: list[list[str]] = [[]]
    for raw in _NEWLINE_RE.split(text):
        line = raw.strip().lstrip("\ufeff")
        if _CONTENT_RE.search(line):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    lines = [ln for b in blocks for ln in b]
    open_lines = [ln for ln in lines if not _LINE_END_RE.search(ln)]
    wrapped = (
        len(lines) >= 4
        and len(open_lines) * 2 >= len(lines)
        and sorted(_words(ln) for ln in open_lines)[len(open_lines) // 2] >= 5
    )
    if not wrapped:
        return lines
    out: list[str] = []
    for block in blocks:
        current = ""
        for line in block:
            if current and _BULLET_RE.match(line) is None:
                current = f"{current} {line}"
            else:
                if current:
                    out.append(current)
                current = line
            if _LINE_END_RE.search(current):
                out.append(current)
                current = ""
        if current:
            out.append(current)
    return out
