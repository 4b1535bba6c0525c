"""Which files a run lints: the directory walk, exclude patterns and ``.gitignore``.

Explicit files are always linted (unless ``force-exclude``); directories are walked in sorted
order, skipping excluded and git-ignored entries, virtualenvs, and symlinked folders (they are
never followed, so a symlink loop cannot hang the walk). ``.gitignore`` files are honoured inside
a git work tree only (as git does): every ``.gitignore`` from the work tree's root down to the
file, plus ``.git/info/exclude``; the user's global excludes file is not read.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from re import Pattern

from .globs import glob_to_regex, normal_pattern, path_matches, relative_posix
from .settings import DEFAULT_SETTINGS, Settings

#: file name suffixes the walk collects
SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class _IgnoreRule:
    regex: Pattern[str]
    negate: bool
    dir_only: bool


def _parse_gitignore_line(line: str) -> _IgnoreRule | None:
    line = line.rstrip("\n").rstrip("\r")
    if not line or line.startswith("#"):
        return None
    # trailing spaces are ignored unless escaped with a backslash
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    if not line:
        return None
    negate = False
    if line.startswith("!"):
        negate, line = True, line[1:]
    elif line.startswith(("\\!", "\\#")):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = glob_to_regex(line)
    if not anchored:
        body = "(?:[^/]+/)*" + body
    return _IgnoreRule(re.compile(body + r"\Z", re.DOTALL), negate, dir_only)


def _read_rules(path: str) -> list[_IgnoreRule]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()
    except OSError:
        return []
    return [r for r in map(_parse_gitignore_line, lines) if r is not None]


def _git_root(path: str) -> str | None:
    d = os.path.abspath(path)
    if not os.path.isdir(d):
        d = os.path.dirname(d)
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


class GitIgnore:
    """Answers "does git ignore this path?" for paths inside one or more work trees."""

    def __init__(self) -> None:
        self._rules: dict[str, list[_IgnoreRule]] = {}  # folder -> rules of its .gitignore
        self._roots: dict[str, str | None] = {}  # folder -> its work tree root
        self._chains: dict[str, tuple[str, ...]] = {}  # folder -> folders from the root down

    def _root_of(self, folder: str) -> str | None:
        if folder not in self._roots:
            self._roots[folder] = _git_root(folder)
        return self._roots[folder]

    def _rules_of(self, folder: str, root: str) -> list[_IgnoreRule]:
        rules = self._rules.get(folder)
        if rules is None:
            rules = _read_rules(os.path.join(folder, ".gitignore"))
            if folder == root:
                rules = _read_rules(os.path.join(root, ".git", "info", "exclude")) + rules
            self._rules[folder] = rules
        return rules

    def ignored(self, path: str, is_dir: bool, check_parents: bool = False) -> bool:
        """Does git ignore ``path``? The walk prunes ignored folders as it goes; for a file
        named explicitly, ``check_parents`` also asks about each folder above it."""
        path = os.path.abspath(path)
        parent = os.path.dirname(path)
        root = self._root_of(parent)
        if root is None or path == root:
            return False
        folders = self._folders_down_to(parent, root)
        if check_parents and any(self._match(folders[:k], folders[k], True, root)
                                 for k in range(1, len(folders))):
            return True
        return self._match(folders, path, is_dir, root)

    def _folders_down_to(self, folder: str, root: str) -> tuple[str, ...]:
        """The folders from the work tree's root down to ``folder`` (remembered per folder:
        the walk asks for every entry of a folder)."""
        chain = self._chains.get(folder)
        if chain is None:
            up = []
            d = folder
            while True:
                up.append(d)
                if d == root:
                    break
                d = os.path.dirname(d)
            chain = tuple(reversed(up))  # from the root down: deeper files win
            self._chains[folder] = chain
        return chain

    def _match(self, folders: Sequence[str], path: str, is_dir: bool, root: str) -> bool:
        result = False
        for folder in folders:
            rules = self._rules_of(folder, root)
            if not rules:  # most folders have no .gitignore: no path arithmetic for them
                continue
            # ``folder`` is an ancestor of the absolute ``path``: the rest is the relative path
            rel = path[len(folder.rstrip(os.sep)) + 1:].replace(os.sep, "/")
            for rule in rules:
                if rule.dir_only and not is_dir:
                    continue
                if rule.regex.match(rel):
                    result = not rule.negate
        return result


class Walker:
    def __init__(self, settings: Settings, extra_exclude: Sequence[str] = ()) -> None:
        self.settings = settings
        self.patterns: tuple[str, ...] = (*settings.exclude, *settings.extend_exclude,
                                          *extra_exclude)
        self.gitignore = GitIgnore() if settings.respect_gitignore else None
        # during the walk, the patterns without "/" test one name each: one regex for them all
        names = [p for p in map(normal_pattern, self.patterns) if p and "/" not in p]
        self._names: Pattern[str] | None = re.compile(
            "(?:" + "|".join(f"(?:{glob_to_regex(p)})" for p in names) + r")\Z", re.DOTALL
        ) if names else None
        self._anchored = tuple(p for p in self.patterns if "/" in normal_pattern(p))

    def excluded(self, path: str, is_dir: bool, explicit: bool = False) -> bool:
        """Excluded by a pattern or ignored by git. During the walk (not ``explicit``) the
        folders above were already checked, so segment patterns (``.*``, ``build``) test only
        this entry's name: a folder given below a hidden one is still walked."""
        if explicit:
            if self.patterns and self._pattern_excludes(path, self.patterns, False):
                return True
        else:
            if self._names is not None and self._names.match(os.path.basename(path)):
                return True
            if self._anchored and self._pattern_excludes(path, self._anchored, True):
                return True
        return self.gitignore is not None and self.gitignore.ignored(
            path, is_dir, check_parents=explicit)

    def _pattern_excludes(self, path: str, patterns: Sequence[str], name_only: bool) -> bool:
        rel = relative_posix(path, self.settings.project_root)
        if rel.startswith("../"):  # outside the project: only its name can match
            rel, name_only = os.path.basename(os.path.abspath(path)), True
        return any(path_matches(p, rel, name_only) for p in patterns)

    def walk(self, top: str) -> Iterator[str]:
        for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
            keep = []
            for d in sorted(dirnames):
                full = os.path.join(dirpath, d)
                if os.path.islink(full) or os.path.exists(os.path.join(full, "pyvenv.cfg")):
                    continue
                if self.excluded(full, True):
                    continue
                keep.append(d)
            dirnames[:] = keep
            for f in sorted(filenames):
                if not f.endswith(SUFFIXES):
                    continue
                full = os.path.join(dirpath, f)
                if not self.excluded(full, False):
                    yield os.path.normpath(full)


def collect(paths: Sequence[str], settings: Settings = DEFAULT_SETTINGS,
            extra_exclude: Sequence[str] = ()) -> list[str]:
    """Files to lint under ``paths`` (which must exist), without duplicates, in walk order."""
    walker = Walker(settings, extra_exclude)
    out: list[str] = []
    seen: set[str] = set()
    for p in paths:
        if os.path.isdir(p):
            found: Iterator[str] = walker.walk(p)
        elif settings.force_exclude and walker.excluded(p, False, explicit=True):
            continue
        else:
            found = iter((os.path.normpath(p),))
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def is_excluded(path: str, settings: Settings) -> bool:
    """Would ``force-exclude`` drop this explicitly named file (used for ``--stdin-filename``)?"""
    return Walker(settings).excluded(path, False, explicit=True)
