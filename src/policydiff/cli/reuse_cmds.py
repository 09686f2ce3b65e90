"""``policydiff reuse``: wording a policy inherits from earlier policies (policy diffusion)."""

from __future__ import annotations

import click

from policydiff.cli.app import cli, console, emit_json, emit_table, format_option, get_project


def _passages(n: int) -> str:
    return f"{n} passage" + ("" if n == 1 else "s")


def _short(text: str, width: int = 48) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


@cli.command("reuse")
@click.argument("doc_id", metavar="[DOC]", required=False)
@click.option("--min-chars", type=click.IntRange(5, None), default=None, metavar="N",
              help="Fewest shared characters (ideographs, letters, figures) a passage needs "
                   "[default: 14].")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None, metavar="S",
              help="Lowest similarity score (share of both passages in common) [default: 0.5].")
@click.option("--rebuild", is_flag=True,
              help="Rebuild the fingerprint index (.policydiff/reuse.sqlite) from scratch.")
@format_option("table", "json", "md")
def reuse_cmd(doc_id: str | None, min_chars: int | None, min_score: float | None,
              rebuild: bool, fmt: str) -> None:
    """Passages that repeat or adapt wording of an earlier document (date order).

    With DOC: where its wording comes from — each inherited passage, its source passage,
    a similarity score and the word diff of the adaptation. Without: the reuse graph,
    source → target with the share of the target's text inherited. Wording found in
    many documents (notice formulas such as 印发给你们，请认真贯彻执行) is boilerplate,
    recognised by its document frequency, and left out; titles in 《》 are citations.

    \b
    Examples:
      policydiff reuse
      policydiff reuse 2021-14th-plan --format md
      policydiff reuse --min-chars 20 --format json
    """
    from dataclasses import replace

    from policydiff.core.reuse import ReuseParams
    from policydiff.store.reuse_index import find_project_reuse, index_path

    project = get_project()
    params = ReuseParams()
    if min_chars is not None:
        params = replace(params, min_chars=min_chars)
    if min_score is not None:
        params = replace(params, min_score=min_score)
    if rebuild:
        path = index_path(project)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    result, stats = find_project_reuse(project, params, target=doc_id)
    if stats.added or stats.updated or stats.removed:
        click.echo(f"reuse index: {stats}", err=True)
    if fmt == "json":
        data = result.to_dict(diff=True)
        if doc_id:
            data = {"document": doc_id, "inherited_share": round(result.inherited_share(doc_id), 4),
                    "passages": data["passages"], "marks": data["marks"],
                    "edges": [e for e in data["edges"] if e["target"] == doc_id]}
        emit_json(data)
    elif fmt == "md":
        click.echo(_markdown(result, doc_id))
    elif doc_id:
        _doc_table(result, doc_id)
    else:
        _graph_table(result)


def _doc_table(result, doc_id: str) -> None:
    from rich.markup import escape
    from rich.rule import Rule

    from policydiff.render.diff import Side, render_rich

    passages = result.for_target(doc_id)
    out = console()
    markers = not out.is_terminal or out.no_color  # piped: [-deleted-]{+inserted+}
    share = result.inherited_share(doc_id)
    if not passages:
        out.print(f"{doc_id}: no wording inherited from an earlier document.")
        return
    verb = "repeats or adapts" if len(passages) == 1 else "repeat or adapt"
    out.print(f"[bold]{doc_id}[/]: {_passages(len(passages))} ({share:.1%} of its text) {verb} "
              "wording of earlier documents")
    for p in passages:
        out.print(Rule(f"§{escape(p.target_section)} ← {escape(p.source)} "
                       f"§{escape(p.source_section)}   score {p.score:.2f} {p.kind}, "
                       f"{p.shared} chars shared", align="left"))
        out.print(render_rich(p.diff(), Side(p.source, p.source_section),
                              Side(p.target, p.target_section), markers=markers))


def _graph_table(result) -> None:
    edges = result.edges()
    emit_table(["source", "→ target", "share of target", "passages", "chars shared"],
               [[e.source, e.target, f"{e.share:.1%}", e.passages, e.shared] for e in edges],
               title=f"reuse graph: {len(edges)} edges, {len(result.order)} documents")
    rows = [[d, f"{result.inherited_share(d):.1%}", len(result.for_target(d))]
            for d in result.order]
    emit_table(["document", "inherited", "passages"], rows,
               title="share of each document inherited from earlier ones (date order)")


def _markdown(result, doc_id: str | None) -> str:
    from policydiff.render.diff import Side, md_escape, render_markdown

    lines: list[str] = []
    targets = [doc_id] if doc_id else result.order
    if not doc_id:
        lines += ["# Inherited wording", "", "| source | target | share of target | passages |",
                  "|---|---|---|---|"]
        for e in result.edges():
            lines.append(f"| {e.source} | {e.target} | {e.share:.1%} | {e.passages} |")
        lines.append("")
    for target in targets:
        passages = result.for_target(target)
        if not passages:
            continue
        lines += [f"## {target}", "",
                  f"{result.inherited_share(target):.1%} of its text inherited, "
                  f"{_passages(len(passages))}.", ""]
        for p in passages:
            lines.append(render_markdown(p.diff(), Side(p.source, p.source_section),
                                         Side(p.target, p.target_section), heading_level=3)
                         .rstrip("\n"))
            lines += ["", f"Score {p.score:.2f} ({p.kind}), {p.shared} characters shared. "
                      f"Source: “{md_escape(_short(p.source_text, 80))}”", ""]
    if not lines:
        lines.append("No inherited wording found.")
    return "\n".join(lines).rstrip() + "\n"
