"""``policydiff init``: a new project of one's own.

A project is a folder with ``project.yaml`` (title, subject, region), ``corpus/``
(raw sources, the manifest, the generated Markdown) and ``alignments/`` (themes,
metrics, one YAML file per theme), versioned in git. The default themes and metrics
are generic — what most Chinese policy texts have (goals, tasks, funding, governance;
scale, growth, enterprises, investment) — and meant to be edited.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from policydiff.core.errors import InputError
from policydiff.store.fsutil import atomic_write_text
from policydiff.store.project import PROJECT_FILE, Project

SCHEMA_DIR = "schemas"

PROJECT_YAML = """\
# About this project: the report's title comes from here.
title: {title}
# What the policies are about (e.g. 新能源汽车, carbon peaking) and where (city, province).
subject: {subject}
region: {region}
"""

MANIFEST = """\
# Manifest of the corpus: which raw file (in corpus/raw/, byte-identical to what was
# received) becomes which document. `policydiff ingest FILE...` adds entries; fields read
# from the text (title, date, issuer, number, status, kind, period) need not be given
# here, and a value given here overrides the text. `policydiff ingest corpus/raw/`
# regenerates every corpus/<id>.md from this file.
sources: []
"""

THEMES = """\
# yaml-language-server: $schema=../schemas/themes.schema.json
# Themes reviewers align passages under; each theme's alignments live in
# alignments/<id>.yaml. `terms` define the theme for `policydiff suggest`. These are
# generic starting points: rename, remove and add themes for your policies.
themes:
  - id: goals
    name_zh: 发展目标
    name_en: Goals
    description: >-
      Quantified and dated goals: scale, growth, numbers of enterprises or projects,
      and the position a policy aims for.
    terms: [目标, 发展目标, 主要目标, 到2025年, 到2030年, 力争, 达到, 超过, 突破, 提高到,
            降低, 规模]
  - id: tasks
    name_zh: 重点任务
    name_en: Main tasks
    description: >-
      What the policy will do: key tasks, actions, projects and programmes.
    terms: [重点任务, 主要任务, 行动, 工程, 推进, 推动, 加快, 实施, 建设, 培育, 支持]
  - id: funding
    name_zh: 资金与政策支持
    name_en: Funding and support
    description: >-
      Money and incentives: special funds, subsidies, awards, tax and land policy.
    terms: [资金, 专项资金, 补贴, 补助, 奖励, 资助, 财政, 税收, 用地, 贷款, 基金, 最高]
  - id: governance
    name_zh: 组织保障与监管
    name_en: Governance and oversight
    description: >-
      Who is responsible and how: leadership, coordination, evaluation, supervision,
      legal liability.
    terms: [组织领导, 保障措施, 协调机制, 考核, 评估, 监督, 监管, 责任, 法律责任, 部门]
"""

METRICS = """\
# Metric definitions for `policydiff targets`: which canonical key a figure gets, so the
# same quantity lines up across documents. Generic defaults: edit them for your policies.
# A figure's metric is the nearest of its `terms` in the clause; `units` are the units a
# metric accepts ("" is a bare number). `policydiff check` validates this file.
metrics:
  - key: scale
    name_zh: 规模
    name_en: Scale (output, investment)
    terms: [规模, 产业规模, 产值, 营业收入, 总投资, 投资, 增加值]
    units: [亿元, 亿, 万亿元, 万亿, 万元, 元]
  - key: growth-rate
    name_zh: 增长率与比重
    name_en: Growth rates and shares
    terms: [增长, 增速, 年均增长, 比重, 占比, 比例, 下降, 降低, 提高到]
    units: ["%", "％", 个百分点]
  - key: enterprises
    name_zh: 企业数量
    name_en: Number of enterprises
    terms: [企业, 龙头企业, 重点企业, 高新技术企业, 示范企业]
    units: [家, 万家, 户, 万户]
  - key: projects
    name_zh: 项目、平台与设施
    name_en: Projects, platforms, facilities
    terms: [项目, 平台, 基地, 园区, 示范, 场景, 设施]
    units: [个, 项, 座, 家, 万个]
  - key: people
    name_zh: 人才与就业
    name_en: Talent, staff and jobs
    terms: [人才, 高端人才, 专业人才, 人员, 从业人员, 就业, 岗位, 培训, 团队]
    units: [名, 人, 万名, 万人, 人次, 万人次]
not_figures: []
"""

GITIGNORE = """\
.venv/
__pycache__/
*.pyc
# policydiff's lock files (alignments/.policydiff.lock, corpus/.sources.yaml.lock): kept
# between runs, never part of the history
.*.lock
"""


def init_project(root: Path, *, title: str = "", subject: str = "", region: str = "",
                 force: bool = False, git: bool = True) -> Project:
    """Create a project at ``root`` (refuses a non-empty folder unless ``force``).

    Inside an existing git repository the repository is used (the files are added and
    committed there); otherwise a new one is created with a first commit.
    """
    root = root.resolve()
    if root.exists() and not root.is_dir():
        raise InputError("is a file, not a folder", path=str(root))
    if root.exists() and any(p.name != ".git" for p in root.iterdir()) and not force:
        raise InputError(f"{root} is not empty; pass --force to create a project in it "
                         "anyway")
    if (root / "corpus").is_dir() and (root / "corpus" / "sources.yaml").exists() and force:
        raise InputError(f"{root} already holds a policydiff project")
    project = Project(root)
    name = title or root.name
    files = {
        root / PROJECT_FILE: PROJECT_YAML.format(title=_yaml_scalar(name),
                                                 subject=_yaml_scalar(subject),
                                                 region=_yaml_scalar(region)),
        project.manifest_path: MANIFEST,
        project.alignments_dir / "themes.yaml": THEMES,
        project.alignments_dir / "metrics.yaml": METRICS,
    }
    for path, text in files.items():
        if path.exists():
            continue  # --force never overwrites a file the user already has
        atomic_write_text(path, text)
    project.raw_dir.mkdir(parents=True, exist_ok=True)
    (project.raw_dir / ".gitkeep").touch()
    from policydiff.store.alignments import ALIGNMENT_SCHEMA, THEMES_SCHEMA
    from policydiff.store.yamltext import schema_path

    (root / SCHEMA_DIR).mkdir(exist_ok=True)
    for name_ in (ALIGNMENT_SCHEMA, THEMES_SCHEMA):
        target = root / SCHEMA_DIR / name_
        if not target.exists():
            shutil.copyfile(schema_path(name_), target)
    if git:
        _commit(root, files)
    return project


def _yaml_scalar(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False) if text else "''"


def _commit(root: Path, files: dict[Path, str]) -> None:
    import git as gitlib

    try:
        repo = gitlib.Repo(root, search_parent_directories=True)
    except (gitlib.InvalidGitRepositoryError, gitlib.NoSuchPathError):
        repo = gitlib.Repo.init(root)
        if not (root / ".gitignore").exists():
            atomic_write_text(root / ".gitignore", GITIGNORE)
    work = Path(repo.working_tree_dir or root)
    paths = [str(p.relative_to(work)) for p in root.rglob("*")
             if p.is_file() and ".git" not in p.relative_to(root).parts]
    repo.index.add(paths)
    try:
        author = repo.config_reader().get_value("user", "name", "")
    except Exception:  # no git identity configured
        author = ""
    if author:
        repo.index.commit("policydiff init: project, corpus and alignments skeleton")
    else:
        actor = gitlib.Actor("policydiff", "policydiff@localhost")
        repo.index.commit("policydiff init: project, corpus and alignments skeleton",
                          author=actor, committer=actor)
