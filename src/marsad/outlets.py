"""Outlets by their Arabic names.

A record names its outlet by an identifier (SaudiNewsNet's ``source``: ``okaz``, ``aawsat``) or only by its
URL; the reader knows the newspaper as «عكاظ», «الشرق الأوسط». :func:`outlet_name` gives a known outlet its
masthead name, from the identifier or from the URL's host, and leaves any other name as it is. It runs at
ingest, so every later stage, the store and the web app see one name per outlet.

Where two outlets share a masthead word the name tells them apart: the Saudi daily al-Jazirah is «صحيفة
الجزيرة», Al Jazeera's site is «الجزيرة».
"""

from __future__ import annotations

from urllib.parse import urlparse

__all__ = ["host_of", "known_outlets", "outlet_name"]

# (Arabic name, identifiers, hosts). The identifiers are SaudiNewsNet's (datasets README); hosts match
# exactly or as the end of a longer host (``m.okaz.com.sa``).
_OUTLETS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("الشرق الأوسط", ("aawsat",), ("aawsat.com",)),
    ("الاقتصادية", ("aleqtisadiya",), ("aleqt.com",)),
    ("صحيفة الجزيرة", ("aljazirah",), ("al-jazirah.com",)),
    ("المدينة", ("almadina",), ("al-madina.com",)),
    ("الرياض", ("alriyadh",), ("alriyadh.com",)),
    ("الوطن", ("alwatan",), ("alwatan.com.sa",)),
    ("الوئام", ("alweeam",), ("alweeam.com.sa",)),
    ("اليوم", ("alyaum",), ("alyaum.com",)),
    ("الرياضي", ("arreyadi",), ("arreyadi.com.sa",)),
    ("الرياضية", ("arreyadiyah",), ("arreyadiyah.com",)),
    ("عكاظ", ("okaz",), ("okaz.com.sa",)),
    ("سبق", ("sabq",), ("sabq.org",)),
    ("واس", ("was", "spa"), ("spa.gov.sa",)),
    ("عين اليوم", ("3alyoum",), ("3alyoum.com",)),
    ("الجزيرة", (), ("aljazeera.net",)),
    ("العربية", (), ("alarabiya.net",)),
    ("سكاي نيوز عربية", (), ("skynewsarabia.com",)),
    ("بوابة الوفد", (), ("alwafd.news", "alwafd.org")),
    ("اليوم السابع", (), ("youm7.com",)),
    ("المصري اليوم", (), ("almasryalyoum.com",)),
    ("الأهرام", (), ("ahram.org.eg",)),
    ("القدس العربي", (), ("alquds.co.uk",)),
    ("العربي الجديد", (), ("alaraby.co.uk",)),
    ("اندبندنت عربية", (), ("independentarabia.com",)),
    ("النهار", (), ("annahar.com",)),
    ("الخليج", (), ("alkhaleej.ae",)),
    ("البيان", (), ("albayan.ae",)),
    ("الإمارات اليوم", (), ("emaratalyoum.com",)),
    ("الغد", (), ("alghad.com",)),
    ("هسبريس", (), ("hespress.com",)),
)

_BY_ID = {ident: name for name, idents, _ in _OUTLETS for ident in idents}
_BY_HOST = {host: name for name, _, hosts in _OUTLETS for host in hosts}


def known_outlets() -> dict[str, str]:
    """Every identifier and host the table knows → its outlet's Arabic name."""
    return {**_BY_ID, **_BY_HOST}


def host_of(url: str | None) -> str | None:
    """The host of a URL, without ``www.`` (lower case); None when there is none."""
    if not url:
        return None
    try:
        host = urlparse(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _host(value: str) -> str | None:
    """The host of a URL or of a bare domain («www.okaz.com.sa»)."""
    v = value.strip()
    if "://" not in v and (" " in v or "." not in v):
        return None
    return host_of(v if "://" in v else "http://" + v)


def _by_host(host: str | None) -> str | None:
    while host:
        got = _BY_HOST.get(host)
        if got is not None:
            return got
        _, _, host = host.partition(".")  # m.okaz.com.sa → okaz.com.sa → com.sa …
        if host.count(".") == 0:
            return None
    return None


def outlet_name(outlet: str | None, url: str | None = None) -> str | None:
    """The outlet's Arabic name when the table knows ``outlet`` (an identifier or a domain) or else the host
    of ``url`` (the site that published the page); else ``outlet`` as given (stripped), else None.

    >>> outlet_name("okaz"), outlet_name(None, "https://www.okaz.com.sa/news/1"), outlet_name("الجزيرة نت")
    ('عكاظ', 'عكاظ', 'الجزيرة نت')
    """
    given = outlet.strip() if isinstance(outlet, str) and outlet.strip() else None
    if given is not None:
        known = _BY_ID.get(given.lower()) or _by_host(_host(given))
        if known is not None:
            return known
    if url:
        known = _by_host(_host(url))
        if known is not None:
            return known
    return given
