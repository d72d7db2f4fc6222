"""Tests for reading inputs: formats, encodings, ids and failures."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from marsad.ingest import InputFailure, decode_bytes, document_id, iso_date, iter_documents
from marsad.records import Document

TEXT = "وصل الزعيم الكوري الشمالي كيم جونغ أون إلى روسيا، في زيارة «نادرة» عام ٢٠٢٣ للقاء الرئيس بوتين."
# Windows-1256 and ISO-8859-6 have no Arabic-Indic digits (and ISO-8859-6 no «» quotes)
SINGLE_BYTE_TEXT = "وصل الزعيم الكوري الشمالي كيم جونغ أون إلى روسيا، في زيارة نادرة عام 2023 للقاء الرئيس بوتين."
RECORD = {
    "source": "aawsat",
    "url": "http://aawsat.com/home/article/1/خبر",
    "date_extracted": "2015-07-21 02:51:32",
    "title": "بريطانيا: أربعة محاور لاستراتيجية جديدة",
    "author": "لندن: رنيم حنوش",
    "content": "حدد رئيس الوزراء البريطاني ديفيد كاميرون، اليوم (الاثنين)، ملامح استراتيجية للتصدي للتطرف.",
}


def docs(*paths: object) -> list[Document]:
    return [d for d in iter_documents([str(p) for p in paths]) if isinstance(d, Document)]


def failures(*paths: object) -> list[InputFailure]:
    return [d for d in iter_documents([str(p) for p in paths]) if isinstance(d, InputFailure)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "iso-8859-6"])
def test_encodings_decode_to_the_same_document(tmp_path: Path, encoding: str) -> None:
    text = TEXT if encoding not in ("cp1256", "iso-8859-6") else SINGLE_BYTE_TEXT
    path = tmp_path / f"a-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    (doc,) = docs(path)
    assert doc.content == text
    assert doc.id == document_id(text)


def test_windows_1256_detected_not_mistaken_for_iso_8859_6() -> None:
    text, enc = decode_bytes("في المدينة المنورة قال المسؤول إن الطقس حار".encode("cp1256"))
    assert enc == "cp1256"
    assert text == "في المدينة المنورة قال المسؤول إن الطقس حار"


def test_iso_8859_6_detected() -> None:
    text, enc = decode_bytes("في المدينة قال المسؤول إن الطقس حار".encode("iso-8859-6"))
    assert text == "في المدينة قال المسؤول إن الطقس حار"
    assert enc == "iso-8859-6"


def test_binary_file_gives_a_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 20)
    (fail,) = failures(path)
    assert fail.path == str(path)
    assert "binary" in fail.reason


def test_the_rest_of_the_batch_continues(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02\x03PK\x00" * 100)
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    items = list(iter_documents([str(tmp_path), str(tmp_path / "missing.txt")]))
    assert sum(isinstance(i, Document) for i in items) == 1
    reasons = {Path(i.path).name: i.reason for i in items if isinstance(i, InputFailure)}
    assert "binary" in reasons["bad.txt"]
    assert "no such file" in reasons["missing.txt"]


def test_saudinewsnet_json_loads_as_is(tmp_path: Path) -> None:
    path = tmp_path / "2015-07-21.json"
    path.write_text(json.dumps([RECORD, {**RECORD, "url": "http://aawsat.com/2", "content": TEXT}], ensure_ascii=False))
    first, second = docs(path)
    assert first.outlet == "الشرق الأوسط"  # SaudiNewsNet's identifier «aawsat» by the outlet's name
    assert first.url == RECORD["url"]
    assert first.source == RECORD["url"]
    assert first.title == RECORD["title"]
    assert first.author == "لندن: رنيم حنوش"
    assert first.published == "2015-07-21"
    assert first.content == RECORD["content"]
    assert second.content == TEXT
    assert first.id != second.id


def test_json_record_without_text_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"title": "عنوان فقط"}, RECORD], ensure_ascii=False))
    assert len(docs(path)) == 1
    (fail,) = failures(path)
    assert fail.path.endswith("x.json#0")
    assert "no text" in fail.reason


def test_invalid_json_names_the_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"content": "نص"', encoding="utf-8")
    (fail,) = failures(path)
    assert fail.path == str(path)
    assert "invalid JSON" in fail.reason and "line 1" in fail.reason


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [json.dumps(RECORD, ensure_ascii=False), "", "{not json", json.dumps({"text": TEXT, "headline": "عنوان"})]
    path.write_text("\n".join(lines), encoding="utf-8")
    got = docs(path)
    assert [d.title for d in got] == [RECORD["title"], "عنوان"]
    (fail,) = failures(path)
    assert fail.path.endswith("a.jsonl:3")


def test_html_file(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1256"><link rel="canonical" href="https://www.example.com/news/1">'
        f"<title>خبر</title></head><body><p>{SINGLE_BYTE_TEXT}</p></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_bytes(html.encode("cp1256"))
    (doc,) = docs(path)
    assert doc.content_type == "html"
    assert SINGLE_BYTE_TEXT in doc.content
    assert doc.url == "https://www.example.com/news/1"
    assert doc.outlet == "example.com"


def test_zip_of_mixed_files(tmp_path: Path) -> None:
    path = tmp_path / "batch.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("one.txt", SINGLE_BYTE_TEXT.encode("cp1256"))
        zf.writestr("day/records.json", json.dumps([RECORD], ensure_ascii=False))
        zf.writestr("image.png", b"\x89PNG\r\n")
    got = docs(path)
    assert {d.source for d in got} == {f"{path}!one.txt", RECORD["url"]}
    assert any(d.content == SINGLE_BYTE_TEXT for d in got)
    (fail,) = failures(path)
    assert fail.path.endswith("!image.png") and "unsupported" in fail.reason


def test_rss_feed(tmp_path: Path) -> None:
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>وكالة</title>
<item><title>كيم في روسيا</title><link>https://news.example.org/a/1</link>
<pubDate>Tue, 12 Sep 2023 08:00:00 GMT</pubDate><description>{TEXT}</description></item>
<item><title>خبر ثان</title><link>https://news.example.org/a/2</link>
<content:encoded><![CDATA[<p>نص الخبر الثاني.</p><p>فقرة ثانية.</p>]]></content:encoded></item>
</channel></rss>"""
    path = tmp_path / "feed.xml"
    path.write_text(rss, encoding="utf-8")
    first, second = docs(path)
    assert first.title == "كيم في روسيا"
    assert first.published == "2023-09-12"
    assert first.outlet == "news.example.org"
    assert first.content == TEXT
    assert second.content_type == "html"


def test_atom_feed(tmp_path: Path) -> None:
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع</title>
<entry><title>عنوان</title><link href="https://site.example/x"/><updated>2024-06-18T10:00:00Z</updated>
<summary>{TEXT}</summary></entry></feed>"""
    path = tmp_path / "feed.atom"
    path.write_text(atom, encoding="utf-8")
    (doc,) = docs(path)
    assert doc.url == "https://site.example/x"
    assert doc.published == "2024-06-18"


def test_stable_id_ignores_encoding_bom_and_diacritics(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(("\ufeff" + TEXT).encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(TEXT.replace("كيم", "كِيم").encode("utf-16"))
    a, b = docs(tmp_path / "a.txt", tmp_path / "b.txt")
    assert a.id == b.id


def test_globs_and_directories(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text(TEXT + " أ", encoding="utf-8")
    (tmp_path / "y.txt").write_text(TEXT + " ب", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00" * 10)
    assert len(docs(tmp_path)) == 2
    assert len(docs(tmp_path / "*.txt")) == 1
    assert failures(tmp_path / "*.nothing")[0].reason == "no file matches this pattern"


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (fail,) = failures(tmp_path / "empty.txt")
    assert "empty" in fail.reason


def test_iso_date() -> None:
    assert iso_date("2015-07-21 02:51:32") == "2015-07-21"
    assert iso_date("Tue, 12 Sep 2023 08:00:00 GMT") == "2023-09-12"
    assert iso_date("2015-13-40") is None
    assert iso_date("غدا") is None
    assert iso_date(None) is None


def test_a_records_title_loses_its_html_entities_but_keeps_its_document_id() -> None:
    from marsad.ingest import document_from_record

    raw = "&quot;هواوي&quot; تكشف عن هاتفها &#8220;الخارق&#8221; - تقنية &amp; علوم"
    rec = {"source": "aawsat", "url": "http://aawsat.com/1", "title": raw, "content": TEXT}
    doc = document_from_record(rec, "day.json#0")
    assert not isinstance(doc, InputFailure)
    assert doc.title == "\"هواوي\" تكشف عن هاتفها “الخارق” - تقنية & علوم"
    assert doc.id == document_id(TEXT, raw)  # a database that stored this record before finds it again
