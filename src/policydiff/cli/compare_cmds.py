"""``policydiff compare``: two (or more) versions of a policy, article by article.

Thin adapter: resolves documents (corpus ids, or paths to corpus-format ``.md`` files),
calls :func:`policydiff.core.compare.compare_documents` / ``compare_chain`` and prints
with :mod:`policydiff.render.compare`. Notes (a document compared with itself, two
documents that share nothing, a text without headings) go to stderr as one line each.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policydiff.cli.app import (
    cli,
    console,
    emit_json,
    get_project,
    output_format,
    output_format_option,
    output_option,
)
from policydiff.core.errors import InputError

if TYPE_CHECKING:
    from policydiff.core.document import Document


def _resolve(refs: tuple[str, ...]) -> list[Document]:
    """Documents by corpus id, or by path to a corpus-format Markdown file."""
    from policydiff.store.corpus import load_document

    corpus = None
    docs = []
    for ref in refs:
        path = Path(ref)
        if ref.endswith(".md") and path.is_file():
            docs.append(load_document(path))
            continue
        if corpus is None:
            from policydiff.store.corpus import load_corpus

            corpus = load_corpus(get_project())
        docs.append(corpus.get(ref))
    return docs


def _markers() -> bool:
    con = console()
    return not con.is_terminal or con.no_color


@cli.command("compare")
@click.argument("docs", nargs=-1, required=True, metavar="DOC_A DOC_B [DOC_C …]")
@output_format_option("rich", "md", "html", "json")
@output_option()
@click.option("--mode", type=click.Choice(["auto", "versions", "report"]), default="auto",
              show_default=True,
              help="versions: two versions of one text; report: a press report against the "
                   "official text. auto picks report when one side is a press report.")
@click.option("--all", "show_all", is_flag=True,
              help="Rich format: show unchanged articles in full instead of one line per run.")
def compare_cmd(docs: tuple[str, ...], fmt: str | None, output: Path | None, mode: str,
                show_all: bool) -> None:
    """Compare versions of a policy article by article: the 修改前后对照表.

    Articles (第N条), plan sections (一、/（一）/1、) or paragraphs are paired by content,
    so renumbered, moved, split, merged, added and deleted ones are recognised; script
    (繁/简), width and spacing never count as changes. With three or more documents,
    each article's history across the versions (in date order).

    \b
    Examples:
      policydiff compare reg-draft reg-final -o 对照表.html   # HTML, by the extension
      policydiff compare plan-2021 plan-2021-news          # press report vs official
      policydiff compare draft final amended --format md
    """
    from policydiff.core.compare import compare_chain, compare_documents
    from policydiff.render import compare as render

    if len(docs) < 2:
        raise InputError("compare needs two documents (or more for a chain): "
                         "policydiff compare DOC_A DOC_B")
    fmt = output_format(fmt, output, ("rich", "md", "html", "json"))
    resolved = _resolve(docs)
    if len(resolved) == 2:
        result: Any = compare_documents(resolved[0], resolved[1],
                                        mode=None if mode == "auto" else mode)
        notes = result.notes
    else:
        if mode == "report":
            raise InputError("--mode report compares two documents (a report and its source)")
        result = compare_chain(resolved)
        notes = [n for c in result.steps for n in c.notes]
    if fmt == "json" or output is not None:  # md, html and rich show them in the output
        for note in notes:
            click.echo(f"policydiff: note: {note}", err=True)
    chain = len(resolved) > 2
    if fmt == "json":
        if output is None:
            emit_json(result.to_dict())
            return
        from policydiff.render.jsontext import dumps_indented

        text = dumps_indented(result.to_dict()) + "\n"  # the text emit_json prints
    elif fmt == "md":
        text = render.render_chain_markdown(result) if chain else render.render_markdown(result)
    elif fmt == "html":
        text = render.render_chain_html(result) if chain else render.render_html(result)
    else:
        if output is not None:
            raise InputError("-o writes md, html or json: add --format md|html|json")
        renderable = (render.render_chain_rich(result, markers=_markers()) if chain
                      else render.render_rich(result, markers=_markers(),
                                              show_unchanged=show_all))
        console().print(renderable)
        return
    if output is None:
        click.echo(text, nl=False)
    else:
        from policydiff.store.fsutil import atomic_write_text

        atomic_write_text(output, text)
        click.echo(f"wrote {output}", err=True)
