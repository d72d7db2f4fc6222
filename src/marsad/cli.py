"""The ``marsad`` command line (Typer + Rich). Thin: every command calls library functions."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import MarsadError
from .records import Article
from .store import DEFAULT_DB, Store

if TYPE_CHECKING:
    from .ingest import InputFailure

app = typer.Typer(
    name="marsad",
    help="marsad (مرصد): an Arabic-first news story observatory. Ingest news pages, clean and split them into "
    "articles, group coverage into stories, and read the stories with their entities, timelines and cited summaries.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)
FAILURES_SHOWN = 5  # input errors listed per file and reason before the rest are counted

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file (created if missing).")]


def _open(db: Path, readonly: bool = False) -> Store:
    try:
        return Store(db, readonly=readonly)
    except MarsadError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _fmt_dates(start: str | None, end: str | None) -> str:
    if not start:
        return "—"
    return start if start == end or not end else f"{start} → {end}"


@app.command()
def run(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or globs: .txt .html .htm .json .jsonl .zip, RSS/Atom feeds (.xml .rss .atom)."
        ),
    ],
    db: DbOption = Path(DEFAULT_DB),
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the whole store in the export format (marsad.export/1) to this file."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (TOML) on top of the defaults.")
    ] = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per transaction (default 2000).")] = None,
    no_entities: Annotated[bool, typer.Option("--no-entities", help="Skip the NER/entity stage (faster).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest PATHS and process every new document: clean → split → dedupe → entities → dates → stories → summary.

    Documents already in the database are skipped (re-running adds nothing). Unreadable inputs are reported
    with the file and the reason; the rest of the batch continues and the exit code is 1.
    """
    from .pipeline import run as run_pipeline
    from .settings import Settings

    try:
        settings = Settings.load(config, batch_size=batch_size, entities=False if no_entities else None)
    except MarsadError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    store = _open(db)
    same_failures: Counter[tuple[str, str]] = Counter()  # (file, reason) → records failing so

    def on_failure(f: InputFailure) -> None:
        # the records of one file that fail for one reason (SaudiNewsNet's empty records) are listed up to
        # FAILURES_SHOWN times, then counted: the summary below names the file, the reason and how many
        key = (f.path.split("#", 1)[0], f.reason)
        same_failures[key] += 1
        if same_failures[key] <= FAILURES_SHOWN:
            err_console.print(f"[red]input error:[/red] {escape(str(f))}")

    try:
        if quiet or not console.is_terminal:
            report = run_pipeline(paths, store, settings, on_failure=on_failure)
        else:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
                transient=True,
            ) as bar:
                tasks: dict[str, TaskID] = {}

                def progress(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage, total=total or None)
                    bar.update(tasks[stage], completed=done, total=total or None)

                report = run_pipeline(paths, store, settings, progress=progress, on_failure=on_failure)
        for (path, reason), n in same_failures.items():
            if n > FAILURES_SHOWN:
                more = n - FAILURES_SHOWN
                err_console.print(
                    f"[red]input error:[/red] … and {more} more records of {escape(path)}: {escape(reason)}"
                )
        for source in report.without_articles[:20]:
            err_console.print(
                f"[yellow]warning:[/yellow] {escape(source)}: no article found in it (no paragraph of news text)"
            )
        if len(report.without_articles) > 20:
            err_console.print(f"warning: … and {len(report.without_articles) - 20} more documents without an article")
        for source in report.not_arabic[:20]:
            err_console.print(
                f"[yellow]warning:[/yellow] {escape(source)}: its text is not Arabic (stored; names, dates and "
                "summaries are read in Arabic only)"
            )
        if len(report.not_arabic) > 20:
            err_console.print(f"warning: … and {len(report.not_arabic) - 20} more documents not in Arabic")
        err_console.print(
            f"{report.documents_seen} documents read: {report.documents_new} new, "
            f"{report.documents_known} already stored"
            + (f", {report.documents_repeated} repeated in the input" if report.documents_repeated else "")
            + "; "
            f"{report.articles_new} articles added; {report.stories_touched} stories updated; "
            f"{len(report.failures)} inputs failed. Database: {escape(str(db))} "
            f"({store.count('articles')} articles, {store.count('stories')} stories)"
        )
        if json_out is not None:
            from .export import write_json

            json_out.parent.mkdir(parents=True, exist_ok=True)
            with json_out.open("w", encoding="utf-8") as fh:
                write_json(store, fh)
            err_console.print(f"export written to {escape(str(json_out))}")
    except MarsadError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    finally:
        store.close()
    if report.failures:
        raise typer.Exit(1)


@app.command()
def stories(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="How many stories to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List stories, newest and biggest first: headline, outlets, number of articles, dates."""
    store = _open(db, readonly=True)
    with store:
        items = store.stories(limit=limit)
        lines = {sl.id: sl.title for sl in store.storylines()}
        if as_json:
            print(
                json.dumps(
                    [
                        {
                            "id": s.id,
                            "headline": s.headline,
                            "outlets": list(s.outlets),
                            "articles": len(s.article_ids),
                            "start": s.start,
                            "end": s.end,
                            "storyline": lines.get(s.storyline_id or ""),
                        }
                        for s in items
                    ],
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        console.print(
            f"[bold]{store.count('stories')} stories[/bold] in {escape(str(db))} (newest and biggest first)\n"
        )
        pages = store.page_outlets([a for s in items if not s.outlets for a in s.article_ids])
        for s in items:
            line = lines.get(s.storyline_id or "")
            console.print(f"[bold]{escape(s.headline)}[/bold]")
            n, k = len(s.article_ids), len(s.outlets)
            outlets = (f"{k} outlet{'s' if k != 1 else ''}: {escape('، '.join(s.outlets))}" if k
                       else _unknown_outlet([pages.get(a) for a in s.article_ids]))
            console.print(
                f"  {n} article{'s' if n != 1 else ''} · {outlets} · "
                f"{_fmt_dates(s.start, s.end)}" + (f" · storyline: {escape(line)}" if line else "")
            )
            console.print(f"  [dim]marsad show {s.id}[/dim]\n")


def _cite(sources: Sequence[str], label: dict[str, str]) -> str:
    """«[الجزيرة#2, okaz#11]»: the articles a sentence comes from, by their labels in the story."""
    return "[" + ", ".join(label.get(i, i) for i in sources) + "]"


def _unknown_outlet(pages: Sequence[str | None]) -> str:
    """«outlet unknown», with the outlets whose pages the articles were appended to."""
    found = list(dict.fromkeys(p for p in pages if p))
    return f"outlet unknown (appended to a page of {escape('، '.join(found))})" if found else "outlet unknown"


def _heading(a: Article, limit: int = 70) -> str:
    """An article's title, or «(untitled)» and the opening words of its text."""
    if a.title:
        return a.title
    opening = a.paragraphs[0] if a.paragraphs else ""
    if len(opening) > limit:
        opening = opening[:limit].rsplit(" ", 1)[0] + "…"
    return f"(untitled) {opening}".rstrip()


def _resolve_story(store: Store, story_id: str) -> str:
    if store.story(story_id):
        return story_id
    matches = [s for s in store.story_ids() if s.startswith(story_id) or s.endswith(story_id)]
    if len(matches) == 1:
        return matches[0]
    err_console.print(
        f"[red]error:[/red] no story '{story_id}'"
        + (f" (ambiguous: {len(matches)} match)" if matches else "")
        + "; `marsad stories` lists them"
    )
    raise typer.Exit(2)


@app.command()
def show(
    story_id: Annotated[str, typer.Argument(help="Story id (or a unique prefix/suffix of it).")],
    db: DbOption = Path(DEFAULT_DB),
    full: Annotated[bool, typer.Option("--full", help="Also print each article's cleaned text.")] = False,
) -> None:
    """Show one story: summary with sources, timeline, entities, and each article with why it joined."""
    store = _open(db, readonly=True)
    with store:
        sid = _resolve_story(store, story_id)
        s = store.story(sid)
        assert s is not None
        arts = {a.id: a for a in store.articles(list(s.article_ids))}
        label = {a.id: f"{a.outlet or '?'}#{i + 1}" for i, a in enumerate(arts.values())}
        console.rule(f"[bold]{escape(s.headline)}")
        outlets = "outlets: " + escape("، ".join(s.outlets)) if s.outlets else _unknown_outlet(
            list(store.page_outlets(list(s.article_ids)).values()))
        console.print(
            f"id {s.id} · {len(arts)} article{'s' if len(arts) != 1 else ''} · "
            f"{outlets} · {_fmt_dates(s.start, s.end)}"
        )
        if s.storyline_id:
            sl = {x.id: x for x in store.storylines()}.get(s.storyline_id)
            if sl:
                console.print(f"storyline: {escape(sl.title)} ({len(sl.story_ids)} stories)")
        if s.summary:
            console.print("\n[bold]Summary")
            for x in s.summary:
                console.print(f"• {escape(x.text)} [dim]{escape(_cite(x.sources, label))}[/dim]")
        if s.timeline:
            console.print("\n[bold]Timeline")
            for t in s.timeline:
                when = t.date[:7] if t.grain == "month" else t.date[:4] if t.grain == "year" else t.date
                console.print(f"{when:10}  {escape(t.text)} [dim]{escape(_cite(t.sources, label))}[/dim]")
        if s.entity_ids:
            counts = store.entity_mention_counts(list(arts))
            ents = sorted(store.entities(list(s.entity_ids)), key=lambda e: (-counts.get(e.id, 0), e.name))
            console.print("\n[bold]Entities[/bold] [dim](most named in the story first; mentions)[/dim]")
            for e in ents[:20]:
                variants = " / ".join(v for v in e.variants if v != e.name)
                console.print(f"{e.type:4} {escape(e.name)} [dim]{counts.get(e.id, 0)}[/dim]"
                              + (f" [dim]({escape(variants)})[/dim]" if variants else ""))
            if len(ents) > 20:
                console.print(f"[dim]… and {len(ents) - 20} more (marsad export lists them all)[/dim]")
        console.print("\n[bold]Articles")
        expl = store.explanations(list(arts))
        for aid, a in arts.items():
            where = f"{a.published or ''} {a.url or a.source}"
            console.print(f"[bold]{escape(label[aid])}[/bold] {escape(_heading(a))} [dim]{escape(where)}[/dim]")
            if a.duplicate_of:
                console.print(f"   duplicate of {escape(label.get(a.duplicate_of, a.duplicate_of))}")
            why = expl.get(aid)
            if why and why.nearest_id:
                parts = ", ".join(f"{k}={v:.2f}" for k, v in why.signals)
                near = label.get(why.nearest_id, why.nearest_id)
                console.print(f"   joined: nearest {escape(near)}, score {why.score:.2f} ({parts})")
            elif why:
                console.print("   started the story (no earlier article was close enough)")
            if full:
                console.print(a.text, markup=False)
        if any(w and w.nearest_id for w in expl.values()):
            from .stories import StorySettings

            needed = StorySettings().idf_min_docs
            if store.count("articles") < needed:
                console.print(
                    f"[dim](TF-IDF counts little while the store holds fewer than {needed} articles: its word "
                    "statistics are not reliable yet, so the embeddings decide)[/dim]"
                )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (any hamza, diacritics or teh-marbuta spelling).")],
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
) -> None:
    """Full-text search over the articles (every word must occur)."""
    store = _open(db, readonly=True)
    with store:
        hits, total = store.search(query, limit=limit)
        arts = {a.id: a for a in store.articles([h.article_id for h in hits])}
        stories_of = store.article_story_ids([h.article_id for h in hits])
        console.print(f"{total} articles match «{escape(query)}»")
        for h in hits:
            a = arts[h.article_id]
            console.print(
                f"• [bold]{escape(_heading(a))}[/bold] [dim]{escape(a.outlet or '?')} {a.published or ''} "
                f"story {stories_of.get(a.id) or '—'}[/dim]"
            )


@app.command()
def export(
    db: DbOption = Path(DEFAULT_DB),
    fmt: Annotated[str, typer.Option("--format", help="json (one object) or jsonl (one record per line).")] = "json",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: standard output).")] = None,
) -> None:
    """Export articles, stories and storylines in the marsad.export/1 format (docs/export-format.md)."""
    from .export import write_json, write_jsonl

    if fmt not in ("json", "jsonl"):
        err_console.print("[red]error:[/red] --format must be json or jsonl")
        raise typer.Exit(2)
    store = _open(db, readonly=True)
    with store:
        writer = write_json if fmt == "json" else write_jsonl
        if out is None:
            writer(store, sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as fh:
                writer(store, fh)


@app.command()
def ner(
    conll: Annotated[
        Path, typer.Option("--conll", help="One token per line (first column), blank line between sentences.")
    ],
) -> None:
    """Tag a CoNLL-style token file: prints token<TAB>tag (BIO over PER, LOC, ORG, MISC), keeping sentence breaks."""
    from .ner import tag_conll

    try:
        lines = conll.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        err_console.print(f"[red]error:[/red] {escape(str(conll))}: {escape(str(exc))}")
        raise typer.Exit(2) from exc
    out = sys.stdout
    for line in tag_conll(lines):
        out.write(line + "\n")


@app.command()
def dates(
    ref: Annotated[
        str, typer.Option("--ref", help="Reference date YYYY-MM-DD that relative expressions resolve against.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output (the default; kept for clarity).")] = True,
) -> None:
    """Read one text per line on stdin; print one JSON array of resolved date expressions per line."""
    from .dates import tag_lines

    try:
        ref_date = date.fromisoformat(ref)
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] --ref must be YYYY-MM-DD, got {ref!r}")
        raise typer.Exit(2) from exc
    for found in tag_lines((line.rstrip("\n") for line in sys.stdin), ref_date):
        sys.stdout.write(json.dumps(found, ensure_ascii=False) + "\n")


@app.command()
def summarize(
    paths: Annotated[
        list[Path], typer.Argument(help="Text files; each is one article (its non-empty lines are paragraphs).")
    ],
    words: Annotated[int | None, typer.Option("--words", help="Word budget (default 100).")] = None,
    sentences: Annotated[int | None, typer.Option("--sentences", help="Sentence budget instead of words.")] = None,
    each: Annotated[
        bool, typer.Option("--each", help="One summary per input, as JSON lines {source, summary}.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Summarise text files: one summary of them all, or one per input with --each."""
    from .summarize import summarize_paths

    if words is not None and sentences is not None:
        err_console.print("[red]error:[/red] give --words or --sentences, not both")
        raise typer.Exit(2)
    try:
        results = summarize_paths([str(p) for p in paths], words=words, sentences=sentences, each=each)
    except MarsadError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if each or as_json:
        for r in results:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        for r in results:
            for s in r["summary"]:
                console.print(f"• {escape(s)}")


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to bind (loopback unless told otherwise).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the web app (story list, story pages, entities, outlets, search, JSON API under /api/)."""
    import uvicorn

    from .web.app import create_app

    _open(db, readonly=True).close()
    uvicorn.run(create_app(str(db)), host=host, port=port, log_level="info")


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the static HTML report into.")],
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Write the web app's pages as static HTML that opens from disk."""
    from .web.report import write_report

    _open(db, readonly=True).close()
    n = write_report(str(db), out)
    err_console.print(f"{n} pages written to {out}")


@app.command("settings")
def settings_cmd() -> None:
    """List every setting with its default and help line (put overrides in a TOML file, --config)."""
    from .settings import Settings

    table = Table(title="marsad settings")
    for col in ("setting", "default", "help"):
        table.add_column(col)
    for name, default, help_ in Settings.help():
        table.add_row(name, repr(default), help_)
    console.print(table)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
