"""``policydiff tui`` (and ``policydiff`` with no arguments): the terminal UI."""

from __future__ import annotations

from policydiff.cli.app import cli, get_project


@cli.command("tui")
def tui_cmd() -> None:
    """Open the terminal UI: themes, compare, targets, reader, review (? lists every key).

    \b
    Examples:
      policydiff tui
      policydiff --root ~/my-project
    """
    from policydiff.tui.app import PolicydiffApp

    project = get_project()
    app = PolicydiffApp(project.root, background_load=True)
    app.run()
    if app.return_code:  # the project failed to load (the message was printed)
        raise SystemExit(app.return_code)
