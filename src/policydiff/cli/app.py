"""The ``policydiff`` command group and the helpers every command shares.

Commands live in one module per concept (``corpus_cmds``, ``store_cmds``, …) and
attach themselves to :data:`cli`. They call the library and only format output.
Exit codes: 0 ok, 1 problems found, 2 usage or input error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from policydiff import __version__
from policydiff.core.alignment import STATUS_FILTERS
from policydiff.core.errors import PolicydiffError
from policydiff.store.project import Project, find_project

if TYPE_CHECKING:
    from policydiff.api import PolicyProject

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _one_line_usage(exc: click.UsageError) -> None:
    """Make click print a usage error as ONE line (``policydiff: error: …``), like
    every other error, instead of its four-line usage block; the exit stays 2."""
    help_error = getattr(click.exceptions, "NoArgsIsHelpError", None)
    if help_error is not None and isinstance(exc, help_error):
        return  # that "error" is the help text, asked for by giving no arguments
    message = exc.format_message()
    path = exc.ctx.command_path.split(" ")[1:] if exc.ctx is not None else []
    hint = f" (see `{' '.join(['policydiff', *path, '--help'])}`)"

    def show(file: Any = None) -> None:
        click.echo(f"policydiff: error: {message}{hint}", err=True)

    exc.show = show  # type: ignore[method-assign]


class PolicydiffGroup(click.Group):
    """Turns :class:`PolicydiffError` and click's usage errors into one line on
    stderr and their exit code."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            _one_line_usage(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _one_line_usage(exc)
            raise
        except PolicydiffError as exc:
            click.echo(f"policydiff: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # read-only folder, a folder where a file should be, …
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"policydiff: error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except MemoryError:
            click.echo("policydiff: error: out of memory (is the input a huge or endless file?)",
                       err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=PolicydiffGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=str), default=None,
              envvar="POLICYDIFF_ROOT",
              help="Project folder (with corpus/ and alignments/). Default: found from the cwd.")
@click.version_option(__version__, prog_name="policydiff")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """Compare successive Chinese policies: corpus, alignments, diffs, targets, reports.

    Run without a command to open the terminal UI.
    """
    ctx.obj = {"root": root}
    if ctx.invoked_subcommand is None:
        tui = cli.get_command(ctx, "tui")
        if tui is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui)


def get_project(ctx: click.Context | None = None) -> Project:
    """The project the command runs on (``--root`` or discovered from the cwd)."""
    ctx = ctx or click.get_current_context()
    root = (ctx.find_root().obj or {}).get("root")
    project = find_project(root)
    from policydiff.store import token_cache

    token_cache.install(project.root)  # tokenise once: cuts reused across commands
    return project


def get_policy_project(rev: str | None = None) -> PolicyProject:
    """The library façade on the command's project (alignments at ``rev`` if given)."""
    from policydiff.api import PolicyProject

    return PolicyProject(get_project(), rev=rev)


def _split_values(_ctx: click.Context, _param: click.Parameter,
                  values: tuple[str, ...] | None) -> tuple[str, ...]:
    """Repeatable options also take comma-separated lists: --doc a --doc b == --doc a,b."""
    out: list[str] = []
    for value in values or ():
        out += [v.strip() for v in value.split(",") if v.strip()]
    return tuple(dict.fromkeys(out))


def theme_option(help: str = "Only this theme (repeatable).") -> Callable[[F], F]:
    """``--theme T`` (repeatable, or comma-separated); gives a tuple of theme ids."""
    return click.option("--theme", "themes", multiple=True, metavar="THEME",
                        callback=_split_values, help=help)


def doc_option(help: str = "Only this document (repeatable).") -> Callable[[F], F]:
    """``--doc D`` (repeatable, or comma-separated; ``--docs`` is the same); a tuple of ids."""
    return click.option("--doc", "--docs", "docs", multiple=True, metavar="DOC",
                        callback=_split_values, help=help)


def _status(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    return "any" if value == "all" else value


def status_option(default: str = "accepted",
                  help: str = "Which alignments: accepted, proposed, rejected or any.",
                  ) -> Callable[[F], F]:
    """``--status accepted|proposed|rejected|any`` — the same vocabulary in every command."""
    return click.option("--status", type=click.Choice([*STATUS_FILTERS, "all"]),
                        default=default, show_default=True, callback=_status, help=help)


def rev_option(help: str = "Alignments as of this git revision.") -> Callable[[F], F]:
    return click.option("--rev", default=None, metavar="REV", help=help)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """``--format`` with the given choices; the first is the default."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default or choices[0],
        show_default=True, help="Output format.",
    )


def output_option() -> Callable[[F], F]:
    """``-o/--output FILE`` (written atomically; see :func:`output_format`)."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, help="Write to FILE (atomically) instead of stdout.")


def output_format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` for a command with ``-o FILE``: left out, it is what the file's
    extension names (``-o report.html`` writes HTML), else the first choice."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=None,
        help=f"Output format. [default: {choices[0]}, or what -o FILE's extension names]",
    )


_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
                   ".json": "json"}


def output_format(fmt: str | None, output: Path | None, choices: Sequence[str]) -> str:
    """The format to write: ``--format`` as given, else the one ``output``'s extension
    names if the command has it (a user who wrote ``-o report.html`` got Markdown in an
    HTML file, shown by the browser as one long line), else the first of ``choices``."""
    if fmt is not None:
        return fmt
    named = _SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    return named if named in choices else choices[0]


def warn(message: str) -> None:
    """One warning line on stderr (the command goes on)."""
    click.echo(f"policydiff: warning: {message}", err=True)


def emit_json(data: Any) -> None:
    """Print JSON with Chinese kept readable (not \\u-escaped), indented by 2: the text of
    ``json.dumps``, written a piece at a time (:mod:`policydiff.render.jsontext`)."""
    from policydiff.render.jsontext import write_indented

    write_indented(data, _write_out)
    click.echo()


def emit_json_list(items: Iterable[Any]) -> None:
    """:func:`emit_json` of a list whose items are made one at a time (and let go)."""
    from policydiff.render.jsontext import write_list

    write_list(items, _write_out)
    click.echo()


def _write_out(text: str) -> None:
    click.echo(text, nl=False)


def console(stderr: bool = False):  # -> rich.console.Console
    """A rich console; plain when output is not a terminal."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def emit_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None,
               ) -> None:
    """Print rows as a rich table (CJK width aware).

    Cells and title are plain text, never rich markup: a title or passage holding
    ``[/]`` or ``[/bold]`` is printed as written, not taken for a closing tag.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title=None if title is None else Text(title), show_lines=False,
                  header_style="bold")
    for i, col in enumerate(columns):
        table.add_column(col, overflow="fold", no_wrap=(i == 0))
    for row in rows:
        table.add_row(*[Text("" if v is None else str(v)) for v in row])
    console().print(table)
