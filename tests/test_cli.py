"""The command line on the sample corpus: run, stories, show, search, export, and failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SEEDS
from typer.testing import CliRunner

from marsad.cli import app
from marsad.export import validate

runner = CliRunner()


def test_help_for_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for cmd in ("run", "stories", "show", "search", "export", "ner", "dates", "summarize", "serve", "report"):
        assert cmd in result.output
        sub = runner.invoke(app, [cmd, "--help"])
        assert sub.exit_code == 0, cmd
        assert len(sub.output) > 200, cmd


def test_stories_show_search_export(seeds_db: Path, tmp_path: Path) -> None:
    db = str(seeds_db)
    listing = runner.invoke(app, ["stories", "--db", db, "--json"])
    assert listing.exit_code == 0, listing.output
    stories = json.loads(listing.output)
    assert len(stories) == 7
    biggest = max(stories, key=lambda s: s["articles"])
    assert biggest["articles"] == 4 and len(biggest["outlets"]) == 4

    table = runner.invoke(app, ["stories", "--db", db])
    assert table.exit_code == 0 and biggest["id"] in table.output
    # an appended article that names no outlet of its own: the page it was found on is said
    flat = " ".join(table.output.split())
    assert "outlet unknown (appended to a page of الجزيرة)" in flat
    lone = next(s for s in stories if not s["outlets"])
    shown_lone = runner.invoke(app, ["show", lone["id"], "--db", db])
    assert "outlet unknown (appended to a page of" in " ".join(shown_lone.output.split())

    shown = runner.invoke(app, ["show", biggest["id"], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "Summary" in shown.output and "Timeline" in shown.output and "joined: nearest" in shown.output
    assert shown.output.count("started the story") == 1  # its first article; the three others joined it
    # The story's entities, most named first: Kim Jong Un (with «كيم» resolved to him) leads, Putin is listed.
    listed = shown.output.split("Entities", 1)[1].split("Articles", 1)[0].splitlines()[1:]
    assert "كيم جونغ أون" in listed[0] and "PER" in listed[0], listed[:3]
    assert any("فلاديمير بوتين" in line for line in listed[:5]), listed[:5]
    # an untitled article is named by its opening words; the small store's weak TF-IDF is explained
    assert "(untitled) وصل زعيم كوريا الشمالية" in " ".join(shown.output.split())
    assert "TF-IDF counts little" in shown.output
    assert "storyline:" in shown.output and "روسيا" in shown.output.split("storyline:", 1)[1].splitlines()[0]

    missing = runner.invoke(app, ["show", "s-nope", "--db", db])
    assert missing.exit_code == 2 and "no story" in missing.output

    found = runner.invoke(app, ["search", "بيونج يانج", "--db", db])
    assert found.exit_code == 0 and "articles match" in found.output

    out = tmp_path / "e.json"
    exported = runner.invoke(app, ["export", "--format", "json", "--db", db, "--out", str(out)])
    assert exported.exit_code == 0
    assert validate(json.loads(out.read_text(encoding="utf-8"))) == []

    lines = runner.invoke(app, ["export", "--format", "jsonl", "--db", db])
    rows = [json.loads(x) for x in lines.output.splitlines()]
    assert rows[0] == {"schema": "marsad.export/1"}
    assert {r["type"] for r in rows[1:]} == {"article", "story", "storyline"}


def test_run_reports_failures_with_exit_code(seeds_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    shutil.copy(seeds_db, db)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(bytes(range(256)) * 10)
    result = runner.invoke(
        app, ["run", str(SEEDS), str(bad), "--db", str(db), "--quiet", "--json", str(tmp_path / "x.json")]
    )
    assert result.exit_code == 1
    assert "photo.txt" in result.output and "binary" in result.output
    assert "0 new, 5 already stored" in result.output
    assert validate(json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))) == []


def test_run_names_a_document_with_no_article_in_it(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    noise = tmp_path / "noise[1].txt"  # a UTF-16 mark, then no text that reads as news
    noise.write_bytes(b"\xff\xfe" + "\u4e00\u4e8c".encode("utf-16-le"))
    good = tmp_path / "good.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], good)
    result = runner.invoke(app, ["run", str(noise), str(good), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # rich wraps long lines
    assert "noise[1].txt: no article found" in said
    assert "good.txt" not in said
    again = runner.invoke(app, ["run", str(noise), str(good), "--db", str(db), "--quiet"])
    assert "no article found" not in again.output and "0 new, 2 already stored" in again.output


def test_run_warns_about_a_document_that_is_not_in_arabic(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    english = tmp_path / "english.txt"
    english.write_text(
        "Kim Jong Un arrived in Russia on Tuesday for talks with Vladimir Putin, the Kremlin said, in his "
        "first trip abroad since the pandemic.\n\nThe two leaders met at the Vostochny cosmodrome in the "
        "Amur region, where they discussed military cooperation, officials in Moscow told reporters.\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], good)
    result = runner.invoke(app, ["run", str(english), str(good), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "english.txt: its text is not Arabic" in said
    assert "good.txt" not in said
    again = runner.invoke(app, ["run", str(english), str(good), "--db", str(db), "--quiet"])
    assert "not Arabic" not in again.output and "0 new, 2 already stored" in again.output


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_show_prints_latin_outlet_labels_and_brackets_as_written(tmp_path: Path) -> None:
    body = ("أعلنت وزارة الصحة اليوم الثلاثاء تسجيل حالات جديدة من فيروس كورونا في مدينة جدة، وقالت إن "
            "الفرق الطبية تتابع المخالطين وتجري الفحوص اللازمة لهم في المستشفيات الحكومية.\n"
            "وأوضحت الوزارة في بيان أن الحالات المسجلة مستقرة، وأن المصابين يتلقون العلاج في العزل الصحي.")
    records = [
        {"source": "saudigazette", "url": "http://saudigazette.example/1", "date_extracted": "2015-07-21",
         "title": "[video] الصحة تعلن حالات كورونا جديدة في جدة [/b]", "content": body},
        {"source": "arabnews", "url": "http://arabnews.example/2", "date_extracted": "2015-07-21",
         "title": "الصحة: حالات كورونا جديدة في جدة", "content": body.replace("اليوم الثلاثاء", "الثلاثاء")},
    ]
    src = tmp_path / "day.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "m.db"
    assert runner.invoke(app, ["run", str(src), "--db", str(db), "--quiet"]).exit_code == 0
    listed = runner.invoke(app, ["stories", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    sid = next(w for w in listed.output.split() if w.startswith("s-"))
    shown = runner.invoke(app, ["show", sid, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    out = " ".join(shown.output.split())
    assert "[video]" in out and "[/b]" in out  # a title's brackets are text, not markup
    # the summary cites its articles by their outlets (Latin names no table knows are kept as written)
    assert "[saudigazette#1" in out or "[arabnews#" in out


def test_run_lists_a_files_records_that_fail_alike_a_few_times_then_counts_them(tmp_path: Path) -> None:
    from marsad.cli import FAILURES_SHOWN

    good = {"source": "x", "url": "http://x.example/1", "title": "خبر",
            "content": "أعلنت وزارة الصحة اليوم تسجيل حالات جديدة في مدينة جدة، وقالت إن الفرق الطبية تتابع."}
    records = [good] + [{"source": "x", "url": f"http://x.example/e{i}", "content": ""} for i in range(8)]
    src = tmp_path / "day.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "m.db"), "--quiet"])
    assert res.exit_code == 1  # inputs failed
    out = "".join(res.output.split())  # rich may wrap a long path anywhere

    def has(text: str) -> bool:
        return "".join(text.split()) in out

    assert out.count("recordhasnotext") == FAILURES_SHOWN + 1  # five listed, then one line for the rest
    assert has(f"… and {8 - FAILURES_SHOWN} more records of {src}: record has no text")
    assert has("8 inputs failed")  # the summary counts every one
    assert has(f"{src}#1: record has no text")  # each listed one names its record


def test_show_gives_a_month_grain_event_its_month_only(tmp_path: Path) -> None:
    # «في مارس الماضي» (month grain, stored as the 1st) was shown as «2015-03-01»
    from builders import article, document, story

    from marsad.records import TimelineEvent
    from marsad.store import Store

    text = "وسبق أن وقع الرؤساء الثلاثة اتفاق المبادئ في مارس الماضي."
    doc = document(text)
    art = article([text], doc_id=doc.id)
    events = (TimelineEvent("2015-03-01", text, (art.id,), "month"), TimelineEvent("2015-07-21", "وصل.", (art.id,)))
    with Store(tmp_path / "m.db") as st, st.transaction():
        st.add_documents([doc])
        st.add_articles([art])
        st.save_stories([story((art.id,), id="s-1", timeline=events)])
    shown = runner.invoke(app, ["show", "s-1", "--db", str(tmp_path / "m.db")])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.split("Timeline", 1)[1].splitlines()
    assert any(line.startswith("2015-03 ") for line in lines), lines
    assert not any("2015-03-01" in line for line in lines) and any(line.startswith("2015-07-21") for line in lines)
