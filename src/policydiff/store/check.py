"""``policydiff check``: is every alignment file valid, and does it still fit the corpus?

Reports each problem as ``file:line: message``: YAML errors, git conflict markers,
schema violations, duplicate ids, unknown themes, documents and sections, and
anchors that drifted or were orphaned by a change of the corpus. ``fix`` re-anchors
what can be found again (drifted quotes, stale offsets, moved sections) in place and
never deletes anything; orphans stay for a reviewer to decide.

Other modules' validators run too: ``policydiff.store.target_overrides.check_overrides`` checks the
targets files that live beside the alignments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policydiff.core.alignment import Alignment, Member
from policydiff.core.anchors import Resolution, refresh_anchor, resolve_anchor
from policydiff.core.errors import InputError, PolicydiffError
from policydiff.core.problems import Problem
from policydiff.store.alignments import (
    ALIGNMENT_SCHEMA,
    ALIGNMENTS_DIR,
    SCHEMA_LINE,
    THEMES_FILE,
    THEMES_SCHEMA,
    AlignmentSnapshot,
    AlignmentStore,
    read_texts,
)
from policydiff.store.project import Project
from policydiff.store.yamltext import schema_path

QUOTE_PREVIEW = 24


@dataclass
class Fixable:
    """A member whose anchor can be rewritten to match the corpus."""

    alignment: str
    index: int
    resolution: Resolution
    section: str | None


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    files: int = 0
    alignments: int = 0
    members: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        fixed = f", fixed {len(self.fixed)}" if self.fixed else ""
        return (f"checked {self.files} files, {self.alignments} alignments, {self.members} "
                f"passages: {len(self.errors)} errors, {len(self.warnings)} warnings{fixed}")


def _change(old: str, new: str, context: int = 6) -> tuple[str, str]:
    """The part of two texts that differs, with context: «…达到4000亿元», «…达到4千亿元»."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    q = 0
    while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q]:
        q += 1
    a, b = max(0, p - context), q - context

    def cut(text: str) -> str:
        end = len(text) - max(0, b)
        part = " ".join(text[a:end].split())
        return ("…" if a else "") + part + ("…" if end < len(text) else "")

    return cut(old), cut(new)


def figures_changed(old: str, new: str) -> tuple[str, str] | None:
    """The figures of a quote before and after a corpus change, if they differ
    (by value and unit: 4000亿元 and 4千亿元 are the same figure). An accepted
    alignment whose figures changed goes back to review: its note may cite the old ones."""
    from policydiff.core.quantities import find_quantities, multiplier

    def figures(text: str) -> list[tuple[float, float | None, str]]:
        out = []
        for q in find_quantities(text):
            scale = multiplier(q.unit)
            high = None if q.value_max is None else round(q.value_max * scale, 6)
            out.append((round(q.value * scale, 6), high, q.unit.lstrip("十百千万亿兆")))
        return out

    if figures(old) == figures(new):
        return None
    before = [q.text for q in find_quantities(old)]
    after = [q.text for q in find_quantities(new)]
    gone = [t for t in before if t not in after] or before
    came = [t for t in after if t not in before] or after
    return "、".join(gone) or "none", "、".join(came) or "none"


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_PREVIEW else flat[:QUOTE_PREVIEW] + "…"


def check_project(project: Project, corpus: Any = None, *, fix: bool = False) -> CheckResult:
    """Check the store of ``project`` against the schema and ``corpus`` (loaded if None)."""
    if corpus is None:
        from policydiff.store.corpus import load_corpus

        corpus = load_corpus(project)
    if fix:
        from policydiff.store.locking import locked

        with locked(project.alignments_dir, what=f"{ALIGNMENTS_DIR}/"):
            return _check_project(project, corpus, fix=True)
    return _check_project(project, corpus, fix=False)


def _check_project(project: Project, corpus: Any, *, fix: bool) -> CheckResult:
    texts = read_texts(project)
    store = (AlignmentStore(project.root, texts, strict=False) if fix
             else AlignmentSnapshot(project.root, texts, strict=False))
    result, fixable = check_store(store, corpus)
    if fix and fixable:
        assert isinstance(store, AlignmentStore)
        with store.batch():  # every file read, verified and written once
            _fix(store, corpus, fixable, result)
        fixed = result.fixed
        result, _ = check_store(store, corpus)  # the store now holds the written files
        result.fixed = fixed
    result.problems += _external_checks(project, corpus)
    result.problems.sort(key=lambda p: (p.path, p.line, p.message))
    return result


def _fix(store: AlignmentStore, corpus: Any, fixable: list[Fixable], result: CheckResult) -> None:
    """Queue the re-anchoring of every fixable member (inside a batch)."""
    for item in fixable:
        al = store.get(item.alignment)
        member = al.members[item.index]
        body = corpus.get(member.doc).body
        assert member.anchor is not None
        anchor = refresh_anchor(member.anchor, body, item.resolution)
        store.set_member_anchor(al.id, item.index, anchor, section=item.section)
        result.fixed.append(f"{al.file}:{member.line}: re-anchored {al.id} in {member.doc} "
                            f"(now «{_preview(anchor.exact)}» at {anchor.start})")
        changed = figures_changed(member.anchor.exact, anchor.exact)
        if changed and store.get(al.id).status == "accepted":
            was, now = changed
            note = (f"check --fix: figures of the {member.doc} passage changed "
                    f"({was} → {now}); back to review.")
            current = store.get(al.id).note
            store.set_note(al.id, f"{current}\n\n{note}" if current else note)
            store.set_status(al.id, "proposed")
            result.fixed.append(f"{al.file}:{al.line}: {al.id} accepted → proposed: figures "
                                f"in {member.doc} changed ({was} → {now})")


def check_store(store: AlignmentSnapshot, corpus: Any) -> tuple[CheckResult, list[Fixable]]:
    """Problems of a loaded (lenient) store, and the members ``--fix`` can re-anchor."""
    result = CheckResult(problems=list(store.problems), files=len(store.files()))
    fixable: list[Fixable] = []
    theme_ids = {t.id for t in store.themes()}
    accepted = {a.theme for a in store.alignments(status="accepted")}
    for theme in store.themes():
        # A description alone defines a theme (a new project's themes start so); with
        # no description, no terms and no example, `suggest` has nothing to go on.
        if not theme.terms and not theme.description.strip() and theme.id not in accepted:
            result.problems.append(Problem(
                f"{ALIGNMENTS_DIR}/{THEMES_FILE}", 0,
                f"theme {theme.id!r} has no description, no terms and no accepted alignment: "
                "it needs a description or an example passage before `suggest` can find "
                "anything for it", "warning"))
    for rel in store.files():
        result.problems.extend(_schema_line_problems(store, rel))
        data = store.file_data(rel)
        if rel.endswith("/" + THEMES_FILE) or data is None or "theme" not in data:
            continue
        theme = str(data["theme"])
        line = data.lc.key("theme")[0] + 1 if hasattr(data, "lc") else 1
        if theme_ids and theme not in theme_ids:
            known = ", ".join(sorted(theme_ids))
            result.problems.append(Problem(rel, line, f"unknown theme {theme!r} (known: {known}; "
                                           f"add it to {ALIGNMENTS_DIR}/{THEMES_FILE})"))
        if rel.rsplit("/", 1)[-1] != f"{theme}.yaml":
            result.problems.append(Problem(rel, line, f"theme {theme!r} belongs in "
                                           f"{ALIGNMENTS_DIR}/{theme}.yaml"))
    for al in store.alignments():
        result.alignments += 1
        found = _check_alignment(al, corpus, result.problems, fixable)
        result.members += sum(1 for m in al.members if not m.absent)
        if found < 2 and al.status != "rejected":
            result.problems.append(Problem(al.file, al.line, f"{al.id}: only {found} passage(s) "
                                           "found; an alignment compares two or more", "warning"))
    return result, fixable


def _schema_line_problems(store: AlignmentSnapshot, rel: str) -> list[Problem]:
    """The ``$schema`` line editors validate with: present, and naming a schema that exists."""
    for number, line in enumerate(store.file_text(rel).splitlines()[:3], 1):
        if line.startswith(SCHEMA_LINE):
            target = line[len(SCHEMA_LINE):].strip()
            folder = (store.root / rel).parent
            from policydiff.store.schema_ref import points_outside

            if points_outside(store.root, folder, target):
                return [Problem(rel, number, f"the schema line points outside the project "
                                f"({target}): colleagues' editors will not find it; point "
                                "it at schemas/ in the project (policydiff validates anyway)",
                                "warning")]
            if "://" in target or folder.joinpath(target).is_file():
                return []
            schema = THEMES_SCHEMA if rel.endswith("/" + THEMES_FILE) else ALIGNMENT_SCHEMA
            return [Problem(rel, number, f"the schema {target!r} does not exist (the packaged "
                            f"one is {schema_path(schema)})", "warning")]
    return [Problem(rel, 1, f"no `{SCHEMA_LINE}…` line: editors cannot validate this file "
                    "while you type", "warning")]


def _check_alignment(al: Alignment, corpus: Any, problems: list[Problem],
                     fixable: list[Fixable]) -> int:
    """Check the members of one alignment; returns how many passages resolve."""
    found = 0
    seen: dict[tuple[str, str], int] = {}
    for index, member in enumerate(al.members):
        where = (al.file, member.line or al.line)
        if member.doc not in corpus:
            known = ", ".join(corpus.ids)
            problems.append(Problem(*where, f"{al.id}: unknown document {member.doc!r} "
                                    f"(known: {known})"))
            continue
        doc = corpus.get(member.doc)
        if member.section is not None:
            try:
                doc.section(member.section)
            except InputError:
                problems.append(Problem(*where, f"{al.id}: unknown section {member.section!r} in "
                                        f"{member.doc}"))
        if member.absent or member.anchor is None:
            continue
        key = (member.doc, member.anchor.exact)
        if key in seen:
            problems.append(Problem(*where, f"{al.id}: the same passage of {member.doc} is listed "
                                    f"twice (also member {seen[key] + 1})", "warning"))
        seen.setdefault(key, index)
        res = resolve_anchor(member.anchor, doc.body)
        item = _anchor_problem(al, member, res, doc, problems, where)
        if item is not None:
            fixable.append(Fixable(al.id, index, res, item))
        if res.found:
            found += 1
    return found


def _anchor_problem(al: Alignment, member: Member, res: Resolution, doc: Any,
                    problems: list[Problem], where: tuple[str, int]) -> str | None:
    """Report an anchor that is not exactly where the file says; returns the section
    to write if ``--fix`` can re-anchor it (``""`` keeps the member's section)."""
    assert member.anchor is not None
    quote = _preview(member.anchor.exact)
    if res.start is None or res.end is None:
        problems.append(Problem(*where, f"{al.id}: quote not found in {member.doc}: «{quote}» "
                                f"({res.reason}); fix the quote by hand or mark the member "
                                "absent"))
        return None
    section = doc.section_at(res.start).id
    moved_section = member.section is not None and section != member.section
    if res.status == "drifted":
        was, now = _change(member.anchor.exact, doc.body[res.start:res.end])
        problems.append(Problem(*where, f"{al.id}: quote drifted in {member.doc} "
                                f"({res.similarity:.0%} similar, {res.drift:+d} characters): "
                                f"«{was}» now reads «{now}»; run `policydiff check --fix`"))
    elif res.drift or res.context < 1.0:
        what = (f"offset hint is {res.drift:+d} characters off" if res.drift
                else "the text around the quote changed")
        problems.append(Problem(*where, f"{al.id}: {what} in {member.doc}; "
                                "`policydiff check --fix` updates the anchor", "warning"))
    elif moved_section:
        problems.append(Problem(*where, f"{al.id}: the passage is in section {section} of "
                                f"{member.doc}, not {member.section}; `policydiff check --fix` "
                                "updates it", "warning"))
    else:
        return None
    return section if (moved_section or member.section is None) else member.section


def _external_checks(project: Project, corpus: Any) -> list[Problem]:
    """Validators of the other files in ``alignments/`` (metrics, target overrides)."""
    from policydiff.store import target_overrides

    try:
        return list(target_overrides.check_overrides(project, corpus))
    except PolicydiffError as exc:
        return [Problem(exc.path or f"{ALIGNMENTS_DIR}/", exc.line or 0, exc.message)]
