"""Local place names in headlines: which city or province a local news item is about.

Stories use it to tell apart same-template news of different places («تعليم الخرج يبدأ المقابلات…»,
«تعليم ينبع يبدأ المقابلات…»): articles whose titles both name places, none in common, are penalised
(:mod:`marsad.stories`, ``StorySettings.w_place``).

The lexicon (``models/places.tsv.gz``, ``match form<TAB>after a trigger<TAB>occurrences``) is mined from
unlabelled news by ``make train-places`` (:func:`mine`): a word is a place when it often follows a
word that introduces a place in local news (محافظة، مدينة، منطقة، قرية، بلدية، أمانة، تعليم، شرطة، مدني،
مطار، ميناء… with their clitics) — at least ``MIN_AFTER`` times and in at least ``MIN_RATIO`` of its
occurrences. The ratio keeps out words that follow those triggers only as ordinary nouns («منطقة
الشرق», «مدينة الملك»). Countries are not in it: a country is no local place, and a country and one of
its cities («مصر» / «القاهرة») must not look like a conflict; so a word is only kept when it is not a
country name (babel's Arabic territory names).
"""

from __future__ import annotations

import argparse
import gzip
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from marsad.arabic import match, match_tokens

LOGGER = logging.getLogger(__name__)

__all__ = ["PLACES_PATH", "load_places", "mine", "title_places"]

PLACES_PATH = Path(__file__).parent / "models" / "places.tsv.gz"

# Words after which a local news item names a place (match form). Clitic forms are derived below.
_TRIGGERS = (
    "محافظه",
    "محافظات",
    "مدينه",
    "منطقه",
    "مناطق",
    "بلده",
    "قريه",
    "بلديه",
    "امانه",
    "تعليم",
    "شرطه",
    "مدني",
    "محافظ",
    "مطار",
    "ميناء",
    "اماره",
)
_PREFIXES = ("", "و", "ب", "ل", "وب", "ول", "ف", "فب")
TRIGGERS = frozenset(p + t for t in _TRIGGERS for p in _PREFIXES)

MIN_AFTER = 10  # times a word must follow a trigger
MIN_RATIO = 0.2  # share of its occurrences that follow a trigger
MIN_LETTERS = 3
# Words that follow the triggers as ordinary nouns often enough to pass the ratio (directions, generic
# nouns); checked against the mined list of the SaudiNewsNet development days.
_NOT_PLACES = frozenset(
    match_tokens(
        "منطقة المنطقة المحافظة المدينة العاصمة المملكة الشرق الغرب الشمال الجنوب شمال جنوب شرق غرب وسط "
        "الوسطى الشرقية الغربية الشمالية الجنوبية الحدود الدول دولة أخرى مختلفة واسعة صناعية اليورو "
        "الملك الأمير الحرم العمليات التدريب الإعلام البحوث الأبحاث الدراسات الخدمات آمنة مدن ومدن البنات "
        "مأهولة عازلة امتياز حقل فسوف ليتل الكر"
    )
)
_CLITICS = ("وب", "ول", "فب", "وك", "و", "ف", "ب", "ل", "ك")


def _countries() -> frozenset[str]:
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel is a dependency
        return frozenset()
    names = {match(v) for v in Locale("ar").territories.values()}
    names |= {"ال" + n for n in names if not n.startswith("ال")} | {n[2:] for n in names if n.startswith("ال")}
    return frozenset(n for n in names if " " not in n)


def _forms(token: str) -> Iterable[str]:
    """The token and the token without a leading clitic (بالخرج → الخرج, للخرج → الخرج, وتبوك → تبوك)."""
    yield token
    for c in _CLITICS:
        if token.startswith(c) and len(token) - len(c) >= MIN_LETTERS:
            rest = token[len(c) :]
            if c.endswith("ل") and rest.startswith("ل"):  # ل + ال: للخرج
                yield "ا" + rest
            yield rest


def title_places(title: str | None, places: frozenset[str] | None = None) -> frozenset[str]:
    """The lexicon's places a title names (match form, clitics removed)."""
    if not title:
        return frozenset()
    lexicon = load_places() if places is None else places
    if not lexicon:
        return frozenset()
    found: set[str] = set()
    for tok in match_tokens(title):
        for form in _forms(tok):
            if form in lexicon:
                found.add(form)
                break
    return frozenset(found)


@lru_cache(maxsize=4)
def load_places(path: Path = PLACES_PATH) -> frozenset[str]:
    """The committed place lexicon (empty, with a warning, when the file is missing)."""
    if not path.is_file():
        LOGGER.warning("no place lexicon at %s: stories run without the place signal", path)
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return frozenset(line.split("\t", 1)[0] for line in f if line.strip() and not line.startswith("#"))


def mine(texts: Iterable[str]) -> list[tuple[str, int, int]]:
    """(place, times after a trigger, occurrences) for the words of ``texts`` that pass the filters, most
    frequent first."""
    after: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        toks = match_tokens(text)
        total.update(toks)
        for prev, tok in zip(toks, toks[1:], strict=False):
            if prev in TRIGGERS:
                after[tok] += 1
    countries = _countries()
    rows = [
        (w, n, total[w])
        for w, n in after.items()
        if n >= MIN_AFTER
        and n >= MIN_RATIO * total[w]
        and len(w) >= MIN_LETTERS
        and w.isalpha()
        and w not in TRIGGERS
        and w not in _NOT_PLACES
        and w not in countries
        and not (w.endswith("يه") and not w.startswith("ال"))  # adjectives: منطقة جبلية، حدودية، نائية
    ]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Mine the place lexicon from the SaudiNewsNet development days.")
    ap.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--out", type=Path, default=PLACES_PATH)
    args = ap.parse_args(argv)
    if not (args.datasets / "saudinewsnet" / "dataset").is_dir():
        raise SystemExit(f"{args.datasets}/saudinewsnet/dataset not found")
    from marsad.ner import dev_news_texts  # the development days only (the held-out days are never read)

    rows = mine(dev_news_texts(args.datasets))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{w}\t{n}\t{t}\n" for w, n, t in rows).encode("utf-8")
    with args.out.open("wb") as f, gzip.GzipFile(filename="", fileobj=f, mode="wb", mtime=0) as raw:
        raw.write(body)  # no name, no time in the header: the same input gives the same bytes
    print(f"{len(rows)} places → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
