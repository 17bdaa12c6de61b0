"""`make install`'s system packages (scripts/system-packages.sh), on a simulated machine.

The script probes commands and fonts; each test runs it with a PATH holding only stand-ins, so
"missing" is simulated without removing anything, and apt-get is a stand-in that records its
arguments instead of installing.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-packages.sh"
TOOLS = {
    "chromium": "chromium",
    "chromedriver": "chromium-driver",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "java": "default-jre-headless",
    "npm": "npm",
    "nginx": "nginx",
    "wrk": "wrk",
    "curl": "curl",
    "jq": "jq",
}
ALL_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf: Noto Sans:style=Regular\n"
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK JP:style=Regular\n"
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf: Noto Color Emoji:style=Regular\n"
)


def _stub(folder: Path, name: str, body: str = "exit 0") -> None:
    path = folder / name
    path.write_text(f"#!{shutil.which('bash')}\n{body}\n")
    path.chmod(0o755)


def run_script(tmp_path, *, present, fonts=ALL_FONTS, uid=0, dry_run=False):
    """Runs the script where only `present` tools exist; returns (result, apt-get calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("env", "grep", "awk", "cat"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    for tool in present:
        _stub(bin_dir, tool)
    _stub(bin_dir, "fc-list", f"cat <<'FONTS'\n{fonts}FONTS")
    _stub(bin_dir, "id", f"echo {uid}")
    log = tmp_path / "apt-get.log"
    _stub(bin_dir, "apt-get", f'echo "$*" >> {log}')
    env = {"PATH": str(bin_dir)}
    if dry_run:
        env["SYSTEM_PACKAGES_DRY_RUN"] = "1"
    result = subprocess.run(
        [shutil.which("bash"), str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


def test_nothing_is_installed_when_every_tool_and_font_is_present(tmp_path):
    result, calls = run_script(tmp_path, present=TOOLS)
    assert result.returncode == 0, result.stderr
    assert calls == []
    assert result.stdout == result.stderr == ""


def test_as_root_it_updates_apt_then_installs_exactly_the_missing_packages(tmp_path):
    present = [t for t in TOOLS if t not in ("chromium", "chromedriver", "pdftoppm", "java")]
    fonts = ALL_FONTS.splitlines(keepends=True)[0]  # only Noto Sans: CJK and emoji missing
    result, calls = run_script(tmp_path, present=present, fonts=fonts)
    assert result.returncode == 0, result.stderr
    assert calls == [
        "update -qq",
        "install -y -qq --no-install-recommends chromium chromium-driver poppler-utils "
        "default-jre-headless fonts-noto-cjk fonts-noto-color-emoji",
    ]


def test_a_package_probed_twice_is_installed_once(tmp_path):
    present = [t for t in TOOLS if t not in ("pdftotext", "pdftoppm")]
    _, calls = run_script(tmp_path, present=present)
    assert calls[-1].endswith("--no-install-recommends poppler-utils")


def test_without_root_it_stops_with_one_line_naming_the_packages(tmp_path):
    present = [t for t in TOOLS if t not in ("nginx", "wrk")]
    result, calls = run_script(tmp_path, present=present, uid=1000)
    assert result.returncode == 1
    assert calls == []
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Missing system packages: nginx wrk (install them as root: apt-get install nginx wrk)"
    ]


def test_without_fontconfig_every_font_package_is_named(tmp_path):
    result, _ = run_script(tmp_path, present=TOOLS, uid=1000, fonts="")
    assert "fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji" in result.stderr


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_each_missing_tool_names_its_package(tmp_path, tool):
    result, _ = run_script(tmp_path, present=[t for t in TOOLS if t != tool], uid=1000)
    assert result.stderr.startswith(f"Missing system packages: {TOOLS[tool]} ")


def test_the_dry_run_prints_the_apt_get_commands_instead_of_running_them(tmp_path):
    result, calls = run_script(tmp_path, present=[t for t in TOOLS if t != "wrk"], dry_run=True)
    assert result.returncode == 0
    assert calls == []
    assert result.stdout.splitlines() == [
        "== Installing Debian packages: wrk ==",
        "would run: apt-get update -qq",
        "would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
        "--no-install-recommends wrk",
    ]


def make_dry_run(target: str) -> list[str]:
    """The commands `make -n target` would run, also when the suite itself runs under make."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=SCRIPT.parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_install_runs_the_system_packages_script_first():
    assert make_dry_run("install")[0].endswith("scripts/system-packages.sh")


def test_make_lint_runs_ruff_mypy_and_the_migrations_check():
    commands = "\n".join(make_dry_run("lint"))
    for tool in ("ruff check", "ruff format --check", "mypy", "makemigrations --check --dry-run"):
        assert tool in commands


def test_ci_runs_lint_and_test_and_installs_nothing_itself():
    ci = (SCRIPT.parents[1] / ".ci" / "run").read_text()
    assert "make lint\nmake test\n" in ci
    assert "apt-get" not in ci
