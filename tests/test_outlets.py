from __future__ import annotations

from pathlib import Path

from marsad.outlets import known_outlets, outlet_name


def test_known_identifiers_and_hosts_get_the_outlets_arabic_name() -> None:
    assert outlet_name("okaz") == "عكاظ"
    assert outlet_name("OKAZ ") == "عكاظ"
    assert outlet_name("aawsat") == "الشرق الأوسط"
    assert outlet_name("3alyoum") == "عين اليوم"
    assert outlet_name(None, "https://www.okaz.com.sa/news/local/123") == "عكاظ"
    assert outlet_name(None, "http://m.sabq.org/x") == "سبق"  # a subdomain of a known host
    assert outlet_name("www.alriyadh.com") == "الرياض"  # a bare domain as the outlet
    # the Saudi daily and Al Jazeera's site stay two outlets
    assert outlet_name("aljazirah") == "صحيفة الجزيرة"
    assert outlet_name(None, "https://www.aljazeera.net/news/2024/1/1/x") == "الجزيرة"


def test_unknown_names_are_kept_and_the_publishing_site_wins() -> None:
    assert outlet_name("الجزيرة نت") == "الجزيرة نت"
    assert outlet_name("Saudi Gazette") == "Saudi Gazette"
    assert outlet_name(None, "https://example.org/a") is None
    assert outlet_name("", None) is None
    assert outlet_name(None, "not a url") is None
    assert outlet_name("com.sa") == "com.sa"  # a public suffix alone is no outlet
    # a wire name given for a page of a known site: the site published it
    assert outlet_name("وكالة الأنباء الفرنسية", "https://aawsat.com/home/article/1") == "الشرق الأوسط"


def test_every_saudinewsnet_source_is_named() -> None:
    readme = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "saudinewsnet" / "README.md"
    ids = ["aawsat", "aleqtisadiya", "aljazirah", "almadina", "alriyadh", "alwatan", "alweeam", "alyaum",
           "arreyadi", "arreyadiyah", "okaz", "sabq", "was", "3alyoum"]
    if readme.exists():  # the dataset's own list, when it is beside the checkout
        listed = [line.split("|")[1].strip() for line in readme.read_text(encoding="utf-8").splitlines()
                  if line.strip().startswith("| ") and "](http" in line]
        assert sorted(listed) == sorted(ids)
    names = [outlet_name(i) for i in ids]
    assert all(n and n != i for n, i in zip(names, ids, strict=True))
    assert len(set(names)) == len(names)  # no two outlets share a name

    from marsad.outlets import _OUTLETS

    assert len({name for name, _, _ in _OUTLETS}) == len(_OUTLETS)  # one row per outlet
    assert set(known_outlets().values()) == {name for name, _, _ in _OUTLETS}


def test_boilerplate_learned_under_an_identifier_is_kept_under_the_name() -> None:
    from marsad.arabic import match
    from marsad.pipeline import _outlet_key

    assert _outlet_key(match("okaz").strip()) == match("عكاظ").strip()
    assert _outlet_key("aawsat.com") == match("الشرق الأوسط").strip()
    assert _outlet_key(match("الجديد برس").strip()) == match("الجديد برس").strip()
