"""`[tool.eiglint]` in the nearest pyproject.toml and `--config FILE`: every key, the errors,
and the command line on top."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eiglint.config import KNOWN_KEYS, ConfigError, load_settings
from tests.cli.helpers import FORUM, assert_no_traceback, parse_concise, run

USER_CODE = """\
import torch
from mylib.linalg import eig
from mylib import fix_phase
L, V = eig(A)
x = (V * V).real
L2, V2 = torch.linalg.eig(A)
W = fix_phase(V2)
y = (W * W).real
"""


def write_config(folder: Path, body: str, name: str = "pyproject.toml") -> Path:
    path = folder / name
    text = body if name != "pyproject.toml" else "[project]\nname = 'x'\n\n[tool.eiglint]\n" + body
    path.write_text(text)
    return path


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copy(FORUM, tmp_path / "forum.py")
    return tmp_path


def codes(stdout: str) -> list:
    return [(r[0], r[3]) for r in parse_concise(stdout)]


def test_select_and_ignore_from_pyproject(project: Path) -> None:
    write_config(project, 'ignore = ["EIG1"]\n')
    assert run("forum.py", cwd=project).returncode == 0
    write_config(project, 'select = ["EIG2"]\nextend-select = ["EIG101"]\n')
    assert run("forum.py", cwd=project).returncode == 1


def test_nearest_pyproject_with_a_table_wins(project: Path) -> None:
    sub = project / "pkg" / "inner"
    sub.mkdir(parents=True)
    shutil.copy(FORUM, sub / "m.py")
    write_config(project, 'ignore = ["EIG101"]\n')
    # a pyproject.toml without [tool.eiglint] in between is skipped, as ruff does
    (project / "pkg" / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    assert run("pkg/inner", cwd=project).returncode == 0
    assert run("m.py", cwd=sub).returncode == 0
    assert run("--isolated", "m.py", cwd=sub).returncode == 1


def test_command_line_overrides_config(project: Path) -> None:
    write_config(project, 'select = ["EIG2"]\noutput-format = "json"\n')
    proc = run("--select", "EIG1", "--output-format", "concise", "forum.py", cwd=project)
    assert proc.returncode == 1
    assert codes(proc.stdout) == [("forum.py", "EIG101")] * 2
    proc = run("forum.py", cwd=project)  # output-format from the file; select EIG2: nothing
    assert proc.returncode == 0 and proc.stdout.strip() == "[]"


def test_per_file_ignores(project: Path) -> None:
    legacy = project / "legacy"
    legacy.mkdir()
    shutil.copy(FORUM, legacy / "old.py")
    write_config(project, '[tool.eiglint.per-file-ignores]\n"legacy/*.py" = ["EIG1"]\n')
    proc = run(".", cwd=project)
    assert {p for p, _ in codes(proc.stdout)} == {"forum.py"}
    # matched from the config's folder, whatever the current folder is
    assert run("old.py", cwd=legacy).returncode == 0


def test_exclude_extend_exclude_and_force_exclude(project: Path) -> None:
    gen = project / "generated"
    gen.mkdir()
    shutil.copy(FORUM, gen / "g.py")
    shutil.copy(FORUM, project / "build_me.py")
    write_config(project, 'extend-exclude = ["generated", "build_*.py"]\n')
    assert {p for p, _ in codes(run(".", cwd=project).stdout)} == {"forum.py"}
    # a file named on the command line is linted anyway, unless --force-exclude
    assert run("generated/g.py", cwd=project).returncode == 1
    assert run("--force-exclude", "generated/g.py", cwd=project).returncode == 0
    # `exclude` replaces the default list: hidden folders are walked again
    hidden = project / ".hidden"
    hidden.mkdir()
    shutil.copy(FORUM, hidden / "h.py")
    assert ".hidden/h.py" not in run(".", cwd=project).stdout
    write_config(project, 'exclude = ["generated"]\n')
    assert ".hidden/h.py" in run(".", cwd=project).stdout


def test_extra_sources_and_invariant_functions(project: Path) -> None:
    (project / "user.py").write_text(USER_CODE)
    write_config(project, 'extra-sources = ["mylib.linalg.eig"]\n'
                          'invariant-functions = ["mylib.fix_phase"]\n')
    rows = parse_concise(run("user.py", cwd=project).stdout)
    assert [(r[1], r[3]) for r in rows] == [(5, "EIG101")]
    # without the configuration mylib is unknown code: the eig result is not a source, and
    # handing the torch eigenvectors to fix_phase is an escape
    rows = parse_concise(run("--isolated", "user.py", cwd=project).stdout)
    assert [(r[1], r[3]) for r in rows] == [(7, "EIG107")]


def test_config_option_standalone_and_pyproject(project: Path) -> None:
    standalone = write_config(project, 'ignore = ["EIG101"]\n', name="eiglint.toml")
    assert run("--config", standalone, "forum.py", cwd=project).returncode == 0
    other = project / "other"
    other.mkdir()
    pyproject = write_config(other, 'ignore = ["EIG1"]\n')
    assert run("--config", pyproject, "forum.py", cwd=project).returncode == 0


@pytest.mark.parametrize("body, key", [
    ('selekt = ["EIG1"]\n', "selekt"),
    ('extend_select = ["EIG1"]\n', "extend_select"),
    ('select = "EIG1"\n', "select"),
    ('ignore = ["E501"]\n', "ignore"),
    ('ignore = ["eig1"]\n', "ignore"),
    ('extend-select = [1]\n', "extend-select"),
    ('max-file-size = -3\n', "max-file-size"),
    ('max-file-size = true\n', "max-file-size"),
    ('respect-gitignore = "yes"\n', "respect-gitignore"),
    ('output-format = "xml"\n', "output-format"),
    ('exclude = "build"\n', "exclude"),
    ('extra-sources = ["not a name"]\n', "extra-sources"),
    ('invariant-functions = [""]\n', "invariant-functions"),
    ('per-file-ignores = ["x"]\n', "per-file-ignores"),
    ('[tool.eiglint.per-file-ignores]\n"a/*.py" = ["NOPE1"]\n', "per-file-ignores"),
])
def test_bad_config_exit_2_naming_the_key(project: Path, body: str, key: str) -> None:
    cfg = write_config(project, body)
    proc = run("forum.py", cwd=project)
    assert proc.returncode == 2, proc.stdout
    assert key in proc.stderr and str(cfg) in proc.stderr
    assert proc.stdout == ""
    assert_no_traceback(proc)


def test_unknown_key_suggests_the_spelling(project: Path) -> None:
    write_config(project, 'extend_select = ["EIG1"]\n')
    assert "did you mean 'extend-select'?" in run("forum.py", cwd=project).stderr


def test_invalid_toml_and_missing_config_file(project: Path) -> None:
    write_config(project, "select = [\n")
    proc = run("forum.py", cwd=project)
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr
    assert_no_traceback(proc)
    proc = run("--config", "nope.toml", "forum.py", cwd=project)
    assert proc.returncode == 2 and "nope.toml" in proc.stderr
    assert_no_traceback(proc)


def test_every_documented_key_is_accepted(tmp_path: Path) -> None:
    body = """\
select = ["EIG"]
ignore = ["EIG107"]
extend-select = ["EIG9"]
exclude = [".*", "build"]
extend-exclude = ["generated"]
respect-gitignore = false
force-exclude = true
output-format = "full"
extra-sources = ["mylib.linalg.eig"]
invariant-functions = ["mylib.fix_phase"]
max-file-size = 1000000
check-syntax = true

[tool.eiglint.per-file-ignores]
"tests/**/*.py" = ["EIG2"]
"""
    write_config(tmp_path, body)
    settings, path = load_settings(start=str(tmp_path))
    assert path == str(tmp_path / "pyproject.toml")
    assert settings.ignore == ("EIG107",) and settings.extend_select == ("EIG9",)
    assert settings.exclude == (".*", "build") and settings.extend_exclude == ("generated",)
    assert settings.respect_gitignore is False and settings.force_exclude is True
    assert settings.output_format == "full" and settings.max_file_size == 1000000
    assert settings.check_syntax is True
    assert settings.extra_sources == ("mylib.linalg.eig",)
    assert settings.invariant_functions == ("mylib.fix_phase",)
    assert settings.per_file_ignores == (("tests/**/*.py", ("EIG2",)),)
    assert settings.project_root == str(tmp_path)
    keys = {line.split(" =")[0] for line in body.splitlines() if " = " in line
            and not line.startswith('"')} | {"per-file-ignores"}
    assert keys == set(KNOWN_KEYS)
    assert settings.is_selected_for("EIG205", str(tmp_path / "tests" / "a" / "t.py")) is False
    assert settings.is_selected_for("EIG205", str(tmp_path / "tests" / "t.py")) is False
    assert settings.is_selected_for("EIG205", str(tmp_path / "src" / "tests.py")) is True
    assert settings.is_selected_for("EIG101", str(tmp_path / "tests" / "a" / "t.py")) is True


def test_config_is_data_not_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    write_config(tmp_path, f'select = ["__import__(\'pathlib\').Path(\'{marker}\').touch()"]\n')
    with pytest.raises(ConfigError):
        load_settings(start=str(tmp_path))
    assert not marker.exists()
