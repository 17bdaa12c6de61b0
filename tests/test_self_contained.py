"""The repository is self-contained: no file refers to the team's shared folder or a machine path,
and the policy it applies is carried in docs/policy/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".git", ".venv", "node_modules", "staticfiles", ".hypothesis", "__pycache__"}
SKIPPED_DIRS |= {".pytest_cache", ".ruff_cache", ".mypy_cache", "out"}
TEXT_SUFFIXES = {".py", ".toml", ".md", ".html", ".txt", ".cfg", ".ini", ".json", ".css", ".js"}
TEXT_SUFFIXES |= {".yml", ".yaml", ".sh", ""}
# Built from parts so this file does not match itself.
FORBIDDEN = re.compile("|".join([r"\.\./" + "shared", "/" + "work/", "/" + "tmp/v2"]))


def project_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        if any(part in SKIPPED_DIRS for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES and path.stat().st_size < 2_000_000:
            files.append(path)
    return files


def test_no_file_refers_to_the_shared_folder_or_a_machine_path() -> None:
    offenders = []
    for path in project_files():
        text = path.read_text(encoding="utf-8", errors="ignore")
        if FORBIDDEN.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_policy_and_our_clause_notes_are_in_the_repository() -> None:
    policy = (ROOT / "docs" / "policy" / "policy.md").read_text(encoding="utf-8")
    clauses = (ROOT / "docs" / "policy" / "clauses.md").read_text(encoding="utf-8")
    assert "Using Outputs as training targets for models" in policy
    for clause in ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"):
        assert f"| {clause} |" in clauses
