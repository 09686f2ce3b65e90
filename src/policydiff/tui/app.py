"""PolicydiffApp: one mode per view (themes, compare, targets, reader, review), keyboard first.

The app owns the session state every screen shares — the workspace, the selected
alignment, the problem lines for the banner, drafts the reviewer typed — and the
global keys. Screens display; the core computes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import DataTable, ListView, OptionList, Static, Tree

from policydiff.core.errors import PolicydiffError
from policydiff.tui import messages
from policydiff.tui.watch import Snapshot
from policydiff.tui.workspace import Workspace

_SCREENS = {
    "themes": ("policydiff.tui.screens.themes", "ThemesScreen"),
    "compare": ("policydiff.tui.screens.compare", "CompareScreen"),
    "targets": ("policydiff.tui.screens.targets", "TargetsScreen"),
    "reader": ("policydiff.tui.screens.reader", "ReaderScreen"),
    "review": ("policydiff.tui.screens.review", "ReviewScreen"),
    "coverage": ("policydiff.tui.screens.coverage", "CoverageScreen"),
}


def _screen_class(mode: str) -> type[Screen]:
    module, name = _SCREENS[mode]
    return getattr(importlib.import_module(module), name)


class _LazyScreen:
    """A mode's screen class, its module imported when first used (start-up speed).

    Calling it makes the screen, as Textual does with MODES; any other attribute
    (``BINDINGS``, ``__mro__`` for the help screen) is the real class's.
    """

    def __init__(self, mode: str) -> None:
        self._mode = mode

    def __call__(self) -> Screen:
        return _screen_class(self._mode)()

    def __getattr__(self, name: str) -> object:
        return getattr(_screen_class(self._mode), name)


def _lazy_screen(mode: str) -> Callable[[], Screen]:
    return _LazyScreen(mode)


class LoadingScreen(Screen):
    """What the user sees while the corpus and the alignments load in a worker."""

    def compose(self) -> ComposeResult:
        yield Static("policydiff — loading the corpus and the alignments…", id="loading")

    def show(self, text: str) -> None:
        self.query_one("#loading", Static).update(f"policydiff — {text}")


class PolicydiffCommands(Provider):
    """Command palette entries: themes, alignments and documents, fuzzy matched."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        assert isinstance(app, PolicydiffApp)
        ws = app.workspace
        out: list[tuple[str, str, Callable[[], object]]] = []
        if ws is None:  # still loading
            return out
        for theme in ws.themes():
            out.append((f"Theme: {theme.id} {theme.name_zh} {theme.name_en}",
                        "show the theme's alignments", partial(app.show_theme, theme.id)))
        for al in ws.alignments():
            out.append((f"Alignment: {al.id} ({al.status}) {al.label}",
                        f"theme {al.theme}", partial(app.select_alignment, al.id, "themes")))
        for doc in ws.corpus:
            out.append((f"Document: {doc.id} {doc.meta.title}", f"{doc.date}, open in the reader",
                        partial(app.open_reader, doc.id)))
        for a, b in ws.document_pairs():
            out.append((f"Compare documents: {a} ↔ {b}", "article by article, each pair's diff",
                        partial(app.compare_documents, a, b)))
        return out

    async def discover(self) -> Hits:
        for text, help_text, command in self._entries():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)


class PolicydiffApp(App[None]):
    """Browse themes, compare wording, read targets and documents, review alignments."""

    TITLE = "policydiff"
    CSS_PATH = Path(__file__).with_name("policydiff.tcss")  # absolute: subclasses work anywhere
    COMMANDS: ClassVar = App.COMMANDS | {PolicydiffCommands}
    MODES: ClassVar = {mode: _lazy_screen(mode) for mode in _SCREENS}
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
        Binding("6", "switch_mode('coverage')", "Coverage", show=False,
                tooltip="Theme × document: who says what, who is silent"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("u", "undo", "Undo", tooltip="Undo the last status or note change"),
        Binding("y", "copy", "Copy", show=False,
                tooltip="The passage, diff or table on screen, to the clipboard (OSC 52)"),
        Binding("x", "export", "Export", show=False,
                tooltip="The view on screen to a Markdown or CSV file under exports/"),
        Binding("escape", "back", "Back", show=False, tooltip="The view you came from"),
        Binding("j", "nav('down')", "Down", show=False),
        Binding("k", "nav('up')", "Up", show=False),
        Binding("g", "nav('top')", "Top", show=False),
        Binding("G", "nav('bottom')", "Bottom", show=False),
        Binding("pageup", "nav('pageup')", "Page up", show=False, key_display="PgUp"),
        Binding("pagedown", "nav('pagedown')", "Page down", show=False, key_display="PgDn"),
        Binding("ctrl+p", "command_palette", "Palette", show=False),
        Binding("q", "quit", "Quit"),
    ]

    selected_alignment: reactive[str | None] = reactive(None, always_update=True)
    """The current alignment: set by the tree, the palette, search and the reader."""
    store_revision: reactive[int] = reactive(0)
    """Counts writes to the store (edits, undo, commit, reload): views re-read on change."""
    problems: reactive[tuple[str, ...]] = reactive(())
    """Banner lines: broken files (``file:line: message``), missing git repository."""
    corpus_revision: reactive[int] = reactive(0)
    """Counts reloads of the corpus (a document changed on disk): views re-read on change."""
    segmenter_ready: reactive[bool] = reactive(False)

    def __init__(self, root: str | Path | None = None, workspace: Workspace | None = None,
                 preload_segmenter: bool = True, background_load: bool = False,
                 watch_interval: float | None = 1.0):
        """``background_load``: paint a loading screen first and open the project in a
        worker (the command line does this; tests keep the synchronous default).
        ``watch_interval``: seconds between looks at the alignment and corpus files
        (None: do not watch; :meth:`poll_files` still reloads when called)."""
        super().__init__()
        self.root = root
        if workspace is None and not background_load:
            from policydiff.tui.workspace import Workspace

            workspace = Workspace.open(root, check_git=False)  # git: after the first paint
        self.workspace: Workspace = workspace  # type: ignore[assignment]  # None while loading
        self.preload_segmenter = preload_segmenter
        self.watch_interval = watch_interval
        self._files: Snapshot | None = None
        self.edits: list[messages.Edit] = []
        """This session's uncommitted review writes, oldest first: ``u`` undoes the last."""
        self.added: list[tuple[str, str]] = []
        """Alignments created this session and not yet committed: (id, label)."""
        self.theme_in_view: str | None = None
        """The theme the analyst looked at last: a theme's header row in Themes, else the
        current alignment's theme. A new alignment's dialog starts on it."""
        self._came_from: list[str] = []

    def on_mount(self) -> None:
        if self.workspace is None:
            self.push_screen(LoadingScreen())
            self.run_worker(self._open_workspace, thread=True, group="load", exit_on_error=False)
            return
        self._start()

    def _start(self) -> None:
        self.refresh_problems()
        self._files = self._take_snapshot()
        if self.watch_interval:
            self.set_interval(self.watch_interval, self.poll_files, name="watch files")
        self.switch_mode("themes")
        self.call_after_refresh(self.run_worker, self._check_git, thread=True, group="git",
                                exit_on_error=False)
        if self.preload_segmenter:
            self.call_after_refresh(self._preload_segmenter)

    def _check_git(self) -> None:
        """Worker: find the git repository after the first paint; a banner if there is none."""
        self.workspace.check_git()
        self.call_from_thread(self._git_checked)

    def _git_checked(self) -> None:
        self.refresh_problems()
        self.refresh_bindings()

    def _open_workspace(self) -> None:
        """Worker: open the project, and import the first view, off the event loop."""
        from policydiff.core.errors import PolicydiffError
        from policydiff.tui.workspace import Workspace

        try:
            workspace = Workspace.open(self.root, check_git=False)
            _screen_class("themes")
        except PolicydiffError as exc:
            self.call_from_thread(self.exit, None, 2, f"policydiff: error: {exc}")
            return
        self.call_from_thread(self._workspace_ready, workspace)

    def _workspace_ready(self, workspace: Workspace) -> None:
        self.workspace = workspace
        if isinstance(self.screen, LoadingScreen):
            self.pop_screen()
        self._start()

    async def action_switch_mode(self, mode: str) -> None:
        if self.workspace is not None:  # the views need the project: not while loading
            await super().action_switch_mode(mode)

    def _preload_segmenter(self) -> None:
        from policydiff.core import segment

        if segment.get_cache() is not None:
            # Cuts come from the project's token cache; jieba loads only on a miss
            # (in the compare worker), so do not spend half a second of CPU on it now.
            self.segmenter_ready = True
            return
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
        self._files = self._take_snapshot()
        self.refresh_problems()
        self.store_revision += 1

    # ------------------------------------------------------------------ files on disk

    def _take_snapshot(self) -> Snapshot:
        project = self.workspace.project
        return Snapshot.take(project.alignments_dir, project.corpus_dir)

    def poll_files(self) -> tuple[list[str], list[str]]:
        """Reload what changed on disk since the last look (an editor, git, a script).

        A file that no longer loads puts a banner up and the views keep the last good
        state; the next save that loads clears it. Returns the changed file names
        (alignments, corpus).
        """
        if self.workspace is None or self._files is None:
            return [], []
        now = self._take_snapshot()
        aligned, corpus = self._files.changed(now)
        self._files = now
        if not aligned and not corpus:
            return aligned, corpus
        ws = self.workspace
        if corpus:
            ws.reload_corpus()
        if aligned or corpus:
            ws.reload_store(keep_last_good=True)
        self.refresh_problems()
        if corpus and not ws.corpus_problems:
            self.corpus_revision += 1
        self.store_revision += 1
        self.refresh_bindings()
        names = [*aligned, *corpus]
        if not self.problems:
            self.notify(f"reloaded: {', '.join(names[:3])}"
                        + (f" and {len(names) - 3} more" if len(names) > 3 else ""),
                        title="Changed on disk", timeout=3)
        return aligned, corpus

    def open_in_editor(self, alignment_id: str) -> None:
        """Open the alignment's file in ``$VISUAL``/``$EDITOR`` at its line; reload after.

        The app is suspended (the editor gets the terminal) and resumes when the
        editor exits; what the editor saved is read back at once, a broken save
        becomes the banner.
        """
        import subprocess

        from textual.app import SuspendNotSupported

        from policydiff.tui.outside import editor_command

        al = self.workspace.alignment(alignment_id)
        if al is None or not al.file:
            return
        path = self.workspace.project.root / al.file
        try:
            command = editor_command(path, al.line)
        except PolicydiffError as exc:
            self.notify(str(exc), title="No editor", severity="error", timeout=8)
            return

        def run() -> int:
            return subprocess.run(command, check=False).returncode

        try:
            try:
                with self.suspend():
                    code = run()
            except SuspendNotSupported:  # headless (tests) or a web terminal
                code = run()
        except OSError as exc:
            self.notify(f"{command[0]}: {exc.strerror or exc}", title="Editor did not start",
                        severity="error", timeout=8)
            return
        if code:
            self.notify(f"{command[0]} exited with status {code}", severity="warning")
        aligned, _ = self.poll_files()
        if not aligned:
            self.notify(f"{al.file}: unchanged", timeout=3)

    def action_copy(self) -> None:
        """Copy what the view shows (passage, diff, table) with OSC 52."""
        from policydiff.tui.screens.base import ViewScreen

        clip = self.screen.clip() if isinstance(self.screen, ViewScreen) else None
        if clip is None or not clip.text:
            self.notify("Nothing to copy here.", severity="information")
            return
        self.copy_to_clipboard(clip.text)
        self.notify(f"copied {clip.what} ({len(clip.text)} characters)", timeout=3)

    def action_export(self) -> None:
        """Write the view on screen to ``exports/<view>.md|csv``; the path in a notification."""
        from policydiff.store.fsutil import atomic_write_text
        from policydiff.tui.outside import export_path
        from policydiff.tui.screens.base import ViewScreen

        out = self.screen.export_view() if isinstance(self.screen, ViewScreen) else None
        if out is None or not out.text:
            self.notify("Nothing to export here.", severity="information")
            return
        root = self.workspace.project.root
        path = export_path(root, out.stem, out.suffix)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, out.text)
        except OSError as exc:
            self.notify(f"{path}: {exc.strerror or exc}", title="Not exported",
                        severity="error", timeout=8)
            return
        self.notify(f"{out.what} → {path.relative_to(root)}", title="Exported", timeout=6)

    def watch_selected_alignment(self, alignment_id: str | None) -> None:
        al = self.workspace.alignment(alignment_id) if alignment_id and self.workspace else None
        if al is not None:
            self.theme_in_view = al.theme

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
        self.post_message(messages.OpenReader(doc_id, offset, alignment=alignment_id))

    def compare_two(self, a: messages.SectionRef, b: messages.SectionRef) -> None:
        """Open compare on two sections (or documents) instead of an alignment."""
        self.post_message(messages.CompareSections(a, b))

    def compare_documents(self, a: str, b: str) -> None:
        """Open compare on two whole documents, article by article."""
        self.post_message(messages.CompareDocuments(a, b))

    def _forward(self, mode: str, message: messages.OpenReader | messages.CompareSections
                 | messages.CompareDocuments) -> None:
        """Switch to ``mode`` and hand ``message`` to its screen (mounted or not yet)."""
        self.switch_mode(mode)
        screen = self.screen_stack[0]
        message.stop()
        if isinstance(message, messages.OpenReader):
            screen.post_message(messages.OpenReader(message.doc, message.start, message.end,
                                                    message.alignment, message.query))
        elif isinstance(message, messages.CompareDocuments):
            screen.post_message(messages.CompareDocuments(message.a, message.b))
        else:
            screen.post_message(messages.CompareSections(message.a, message.b))

    def on_open_reader(self, message: messages.OpenReader) -> None:
        if message.alignment:
            self.selected_alignment = message.alignment
        self._forward("reader", message)

    def on_compare_sections(self, message: messages.CompareSections) -> None:
        self._forward("compare", message)

    def on_compare_documents(self, message: messages.CompareDocuments) -> None:
        self._forward("compare", message)

    def on_select_alignment(self, message: messages.SelectAlignment) -> None:
        self.select_alignment(message.alignment, message.mode)

    # ------------------------------------------------------------------ writes

    def _wrote(self) -> None:
        self._files = self._take_snapshot()  # our own write: nothing to reload
        self.refresh_problems()
        self.store_revision += 1
        self.refresh_bindings()

    def write(self, alignment_id: str, field: str, value: str) -> messages.Edit:
        """Set an alignment's status or note through the store; remembered for undo.

        Raises PolicydiffError (the caller shows it)."""
        ws = self.workspace
        edit = ws.set_status(alignment_id, value) if field == "status" else ws.set_note(
            alignment_id, value)
        if edit.before != edit.after:
            self.edits.append(edit)
        self._wrote()
        return edit

    def committed(self) -> None:
        """The alignment files were committed: nothing left to undo."""
        self.edits.clear()
        self.added.clear()
        self._wrote()

    def action_undo(self) -> None:
        if not self.edits:
            self.notify("Nothing to undo (commits are not undone).", severity="information")
            return
        edit = self.edits.pop()
        try:
            self.workspace.undo(edit)
        except PolicydiffError as exc:
            self.edits.append(edit)
            self.notify(str(exc), title="Not undone", severity="error", timeout=8)
            return
        self.notify(f"{edit.alignment}: {edit.field} back to {edit.before or '(none)'!r}")
        self._wrote()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return bool(self.edits)  # hidden from the footer when there is nothing to undo
        return True

    # ------------------------------------------------------------------ moving about

    def switch_mode(self, mode: str) -> AwaitMount:
        """Switch views, remembering where from (Esc goes back)."""
        if self.current_mode and mode != self.current_mode:
            self._came_from.append(self.current_mode)
            del self._came_from[:-20]
        return super().switch_mode(mode)

    def action_back(self) -> None:
        if self._came_from:
            mode = self._came_from.pop()
            super().switch_mode(mode)

    def action_nav(self, where: str) -> None:
        """j/k/g/G/PgUp/PgDn for whatever list, tree, table or text has the focus."""
        widget: Widget | None = self.focused
        if widget is None:
            return
        page = max(1, widget.size.height - 1)
        step = {"down": 1, "up": -1, "pagedown": page, "pageup": -page}.get(where, 0)
        if isinstance(widget, Tree):
            last = max(0, widget.last_line)
            line = {"top": 0, "bottom": last}.get(where, widget.cursor_line + step)
            widget.cursor_line = max(0, min(last, line))
            widget.scroll_to_line(widget.cursor_line)
        elif isinstance(widget, ListView):
            n = len(widget)
            if n:
                index = {"top": 0, "bottom": n - 1}.get(where, (widget.index or 0) + step)
                widget.index = max(0, min(n - 1, index))
        elif isinstance(widget, OptionList):  # the search results
            n = widget.option_count
            if n:
                index = {"top": 0, "bottom": n - 1}.get(where, (widget.highlighted or 0) + step)
                widget.highlighted = max(0, min(n - 1, index))
        elif isinstance(widget, DataTable):
            row = {"top": 0, "bottom": widget.row_count - 1}.get(
                where, widget.cursor_row + step)
            widget.move_cursor(row=max(0, row))
        elif where == "top":
            widget.scroll_home(animate=False)
        elif where == "bottom":
            widget.scroll_end(animate=False)
        else:
            widget.scroll_relative(y=step, animate=False)

    def uncommitted(self) -> list[str]:
        """Alignment files with changes not yet committed (this session's edits without git)."""
        ws = self.workspace
        if ws.has_git:
            try:
                return ws.pending_files()
            except PolicydiffError:
                pass
        return sorted({e.path for e in self.edits})

    async def action_quit(self) -> None:
        """Quit; first ask when alignment files have uncommitted edits."""
        files = self.uncommitted()
        if not files:
            self.exit()
            return
        from policydiff.tui.screens.dialogs import ConfirmQuit

        def done(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmQuit(files), done)

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
    PolicydiffApp(root, background_load=True).run()
