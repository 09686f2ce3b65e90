"""PolicydiffApp: one mode per view (themes, compare, targets, reader, review), keyboard first.

The app owns the session state every screen shares — the workspace, the selected
alignment, the problem lines for the banner, drafts the reviewer typed — and the
global keys. Screens display; the core computes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.reactive import reactive
from textual.screen import Screen

from policydiff.tui.screens.compare import CompareScreen
from policydiff.tui.screens.reader import ReaderScreen
from policydiff.tui.screens.review import ReviewScreen
from policydiff.tui.screens.targets import TargetsScreen
from policydiff.tui.screens.themes import ThemesScreen
from policydiff.tui.workspace import Workspace


class PolicydiffCommands(Provider):
    """Command palette entries: themes, alignments and documents, fuzzy matched."""

    def _entries(self) -> list[tuple[str, str, object]]:
        app = self.app
        assert isinstance(app, PolicydiffApp)
        ws = app.workspace
        out: list[tuple[str, str, object]] = []
        for theme in ws.themes():
            out.append((f"Theme: {theme.id} {theme.name_zh} {theme.name_en}",
                        "show the theme's alignments", partial(app.show_theme, theme.id)))
        for al in ws.alignments():
            out.append((f"Alignment: {al.id} ({al.status}) {al.label}",
                        f"theme {al.theme}", partial(app.select_alignment, al.id, "themes")))
        for doc in ws.corpus:
            out.append((f"Document: {doc.id} {doc.meta.title}", f"{doc.date}, open in the reader",
                        partial(app.open_reader, doc.id)))
        return out

    async def discover(self) -> Hits:
        for text, help_text, command in self._entries():
            yield DiscoveryHit(text, command, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command,  # type: ignore[arg-type]
                          text=text, help=help_text)


class PolicydiffApp(App[None]):
    """Browse themes, compare wording, read targets and documents, review alignments."""

    TITLE = "policydiff"
    CSS_PATH = Path(__file__).with_name("policydiff.tcss")  # absolute: subclasses work anywhere
    COMMANDS: ClassVar = App.COMMANDS | {PolicydiffCommands}
    MODES: ClassVar = {
        "themes": ThemesScreen,
        "compare": CompareScreen,
        "targets": TargetsScreen,
        "reader": ReaderScreen,
        "review": ReviewScreen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        # The view keys are on the view bar at the top, so the footer leaves them out.
        Binding("1", "switch_mode('themes')", "Themes", show=False,
                tooltip="Themes and their alignments"),
        Binding("2", "switch_mode('compare')", "Compare", show=False, tooltip="Wording diff"),
        Binding("3", "switch_mode('targets')", "Targets", show=False,
                tooltip="Figures by metric"),
        Binding("4", "switch_mode('reader')", "Reader", show=False, tooltip="Read a document"),
        Binding("5", "switch_mode('review')", "Review", show=False,
                tooltip="Review and history"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Palette", show=False),
        Binding("q", "quit", "Quit"),
    ]

    selected_alignment: reactive[str | None] = reactive(None)
    """The alignment the themes, compare and review views show."""
    problems: reactive[tuple[str, ...]] = reactive(())
    """Banner lines: broken files (``file:line: message``), missing git repository."""
    segmenter_ready: reactive[bool] = reactive(False)

    def __init__(self, root: str | Path | None = None, workspace: Workspace | None = None,
                 preload_segmenter: bool = True):
        super().__init__()
        self.workspace = workspace or Workspace.open(root)
        self.preload_segmenter = preload_segmenter
        self.note_drafts: dict[str, str] = {}
        self.commit_draft = ""
        self.compare_sections: tuple[tuple[str, str | None], tuple[str, str | None]] | None = None
        self.reader_target: tuple[str, int | None, str | None] | None = None

    def on_mount(self) -> None:
        self.refresh_problems()
        self.switch_mode("themes")
        if self.preload_segmenter:
            self.call_after_refresh(self._preload_segmenter)

    def _preload_segmenter(self) -> None:
        self.run_worker(self._load_segmenter, thread=True, group="segmenter",
                        exit_on_error=False)

    def _load_segmenter(self) -> None:
        from policydiff.core import segment

        segment.load()
        self.call_from_thread(setattr, self, "segmenter_ready", True)

    # ------------------------------------------------------------------ shared state

    def refresh_problems(self) -> None:
        self.problems = tuple(self.workspace.problems)

    def reload(self) -> None:
        """Re-read alignments/ (after an edit outside the app, or to retry a broken file)."""
        self.workspace.reload_store()
        self.refresh_problems()
        self.selected_alignment = self.selected_alignment  # views re-render
        self.mutate_reactive(PolicydiffApp.selected_alignment)

    def watch_selected_alignment(self, alignment_id: str | None) -> None:
        self.compare_sections = None  # compare follows the alignment again

    def select_alignment(self, alignment_id: str, mode: str | None = None) -> None:
        self.selected_alignment = alignment_id
        if mode:
            self.switch_mode(mode)

    def show_theme(self, theme_id: str) -> None:
        alignments = self.workspace.alignments(theme_id)
        self.switch_mode("themes")
        if alignments:
            self.selected_alignment = alignments[0].id

    def open_reader(self, doc_id: str, offset: int | None = None,
                    alignment_id: str | None = None) -> None:
        """Show ``doc_id`` in the reader, scrolled to ``offset`` if given."""
        self.reader_target = (doc_id, offset, alignment_id)
        if self.current_mode == "reader":
            self.screen.post_message(ReaderScreen.Retarget())
        else:
            self.switch_mode("reader")  # the reader picks the target up when it resumes

    def compare_two(self, a: tuple[str, str | None], b: tuple[str, str | None]) -> None:
        """Open compare on two sections (or documents) instead of an alignment."""
        self.compare_sections = (a, b)
        self.switch_mode("compare")  # compare picks the sections up when it resumes

    # ------------------------------------------------------------------ actions

    def action_search(self) -> None:
        from policydiff.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def action_help(self) -> None:
        from policydiff.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Reload alignments", "Re-read alignments/ from disk", self.reload)
        yield SystemCommand("Help", "Every key of every view", self.action_help)


def run(root: str | Path | None = None) -> None:
    """Start the app on the project at ``root`` (found from the cwd by default)."""
    PolicydiffApp(root).run()
