"""The ``eiglint`` command: click wiring over :mod:`eiglint.api` and :mod:`eiglint.reporters`.

``eiglint [OPTIONS] [PATHS]...`` lints (it is ``eiglint check``: a first argument that is not a
subcommand is a path); ``eiglint rule CODE`` / ``eiglint rule --all`` explain the rules;
``eiglint confirm`` (runtime confirmation) is registered when its package is present.

Exit status: 0 no findings, 1 findings, 2 usage, configuration or path error (or an internal
error of eiglint), 130 interrupted (Ctrl-C, SIGINT: 128 + 2, as shells report it). User errors
never print a traceback; ``--debug`` shows internal ones.
"""
from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import replace
from typing import IO, Any

import click

from . import __version__
from .api import PathError, lint_data, lint_paths, plan_fixes
from .cache import default_directory
from .config import OUTPUT_FORMATS, ConfigError, check_codes, common_start, load_settings
from .discovery import is_excluded
from .parallel import default_jobs
from .reporters import render, statistics
from .ruledocs import find_rule, rule_list, rules_markdown, rules_with_prefix
from .settings import Settings
from .types import FilePlan, Finding

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: the exit-status table of ``eiglint --help`` and ``eiglint check --help``
EXIT_HELP = ("Exit status: 0 no findings; 1 findings; 2 usage, configuration or path error (or "
             "an internal error); 130 interrupted (Ctrl-C).")


#: subcommands that live in other packages of eiglint, imported only when used
LAZY_COMMANDS = {"confirm": ("eiglint.runtime.cli", "confirm"),
                 "lsp": ("eiglint.lsp", "lsp")}


class DefaultToCheck(click.Group):
    """A group whose first argument, when it is not a subcommand, belongs to ``check``; the
    subcommands of :data:`LAZY_COMMANDS` are imported when they are used (or listed)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("prog_name", "eiglint")  # also under `python -m eiglint`
        return super().main(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] != "--version" and self.get_command(ctx, args[0]) is None):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # not click's "Aborted!" with status 1, which a CI job reads as "findings"
            click.echo("\neiglint: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = [n for n in LAZY_COMMANDS if self.get_command(ctx, n) is not None]
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attr = LAZY_COMMANDS[cmd_name]
        try:
            cmd: click.Command = getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module.startswith(exc.name):
                return None  # that package is not part of this installation
            cmd = _unavailable(cmd_name, exc)
        except Exception as exc:  # noqa: BLE001 - reported when the command is used
            cmd = _unavailable(cmd_name, exc)
        self.add_command(cmd, cmd_name)
        return cmd


class CheckCommand(click.Command):
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write("Usage: eiglint [OPTIONS] [PATHS]...\n"
                        "       eiglint rule CODE | eiglint confirm ... | eiglint check ...\n")


def _codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
           ) -> tuple[str, ...] | None:
    """``--select EIG1,EIG205 --select EIG9`` -> ("EIG1", "EIG205", "EIG9"), checked."""
    if not values:
        return None
    flat = [c.strip() for v in values for c in v.split(",") if c.strip()]
    try:
        return check_codes(flat, f"--{param.name.replace('_', '-') if param.name else ''}")
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from None


def _globs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
           ) -> tuple[str, ...] | None:
    if not values:
        return None
    return tuple(g.strip() for v in values for g in v.split(",") if g.strip())


def _fail(message: str) -> click.exceptions.Exit:
    click.echo(f"eiglint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(findings: Sequence[Finding], files: int, suppressed: int) -> str:
    """The one-line summary printed on stderr."""
    silenced = f"; {_plural(suppressed, 'finding')} suppressed" if suppressed else ""
    if files == 0:
        return f"No Python files or notebooks found{silenced}."
    if not findings:
        return f"All checks passed ({_plural(files, 'file')}{silenced})."
    with_findings = len({f.path for f in findings})
    return (f"Found {_plural(len(findings), 'finding')} in {with_findings} of "
            f"{_plural(files, 'file')}{silenced}.")


def _use_color(choice: str, stream: IO[Any]) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _settings(config: str | None, isolated: bool, start: str, **cli: Any
              ) -> tuple[Settings, str | None]:
    """Configuration file, then the command-line flags on top; and the file's path."""
    try:
        settings, origin = load_settings(config, start, isolated)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    changes = {}
    if cli["select"] is not None:
        changes["select"] = cli["select"]
    if cli["ignore"] is not None:
        changes["ignore"] = settings.ignore + cli["ignore"]
    if cli["extend_select"] is not None:
        changes["extend_select"] = settings.extend_select + cli["extend_select"]
    if cli["exclude"] is not None:
        changes["exclude"] = cli["exclude"]
    if cli["extend_exclude"] is not None:
        changes["extend_exclude"] = settings.extend_exclude + cli["extend_exclude"]
    for name in ("respect_gitignore", "force_exclude", "output_format"):
        if cli[name] is not None:
            changes[name] = cli[name]
    if cli["check_syntax"]:
        changes["check_syntax"] = True
    if cli["no_prefilter"]:
        changes["prefilter"] = False
    return replace(settings, **changes), origin


def _cache_dir(settings: Settings, cli: Any) -> str | None:
    return None if cli["no_cache"] else os.path.abspath(
        cli["cache_dir"] or default_directory(settings))


def show_settings(settings: Settings, origin: str | None, cli: Any) -> str:
    """``--show-settings``: the resolved settings of a run, where they came from, and where
    the run keeps its state (the cache folder, the key that authenticates it)."""
    import json
    from dataclasses import fields

    from .cache import key_origin
    from .parallel import DEFAULT_FILE_TIMEOUT, default_jobs

    lines = [f"# settings file: {origin or '(none: defaults)'}"]
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name == "per_file_ignores":
            value = {glob: list(codes) for glob, codes in value}
        elif isinstance(value, tuple):
            value = list(value)
        lines.append(f"{f.name.replace('_', '-')} = {json.dumps(value)}")
    cache_dir = _cache_dir(settings, cli)
    lines += [f"jobs = {cli['jobs'] or default_jobs()}",
              f"file-timeout = {cli['file_timeout'] or DEFAULT_FILE_TIMEOUT:g}",
              f"cache-dir = {json.dumps(cache_dir or '(off: --no-cache)')}",
              "# entries are trusted only with a valid MAC under this key (outside the project):",
              f"cache-key = {json.dumps(key_origin())}"]
    return "\n".join(lines) + "\n"


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_HELP)
@click.version_option(__version__, "--version", prog_name="eiglint",
                      message="%(prog)s %(version)s")
def main() -> None:
    """Find code whose result depends on the arbitrary phase or sign of eigenvectors."""


@main.command("check", cls=CheckCommand, context_settings={
    "help_option_names": ["-h", "--help"]}, epilog=(
    f"{EXIT_HELP} Other commands: `eiglint rule CODE|--all` explains the rules; "
    "`eiglint confirm` checks findings at run time (with torch)."))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
              help="Read [tool.eiglint] from this file instead of the nearest pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, callback=_codes, metavar="CODES",
              help="Comma-separated codes or prefixes to report (replaces the configured list).")
@click.option("--ignore", multiple=True, callback=_codes, metavar="CODES",
              help="Comma-separated codes or prefixes not to report.")
@click.option("--extend-select", multiple=True, callback=_codes, metavar="CODES",
              help="Codes or prefixes to report on top of the selected ones.")
@click.option("--exclude", multiple=True, callback=_globs, metavar="GLOBS",
              help="Globs of files and folders to skip (replaces the default list).")
@click.option("--extend-exclude", multiple=True, callback=_globs, metavar="GLOBS",
              help="Globs to skip on top of the excluded ones.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip files that .gitignore ignores (default: on).")
@click.option("--force-exclude/--no-force-exclude", default=None,
              help="Apply exclusions to files named on the command line too (for pre-commit).")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="How to print findings (default: concise).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--statistics", "show_statistics", is_flag=True,
              help="Print the number of findings per code instead of the findings.")
@click.option("--timings", "show_timings", is_flag=True,
              help="Print on standard error the slowest files and the share of time in each "
                   "phase (pre-filter, syntax gate, parse, slice, analysis).")
@click.option("--show-suppressed", is_flag=True,
              help="Also list the findings silenced by noqa / eiglint: ignore comments "
                   "(on standard error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--add-noqa", is_flag=True,
              help="Add `# noqa: CODE` comments that silence every finding (merged into "
                   "existing noqa comments; for adopting eiglint on existing code) and exit 0.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the concise and full output.")
@click.option("--stdin-filename", default=None, metavar="PATH",
              help="Name of the file read from standard input (with PATH `-`).")
@click.option("--no-default-path", is_flag=True,
              help="With no PATHS, lint nothing (instead of the current folder).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: the number of CPUs).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Result cache folder (default: .eiglint_cache in the project root). Entries "
                   "are used only with a valid MAC under a key kept outside the project "
                   "(~/.cache/eiglint/cache-key, or $EIGLINT_CACHE_KEY): a cache committed "
                   "to the repository cannot hide findings.")
@click.option("--show-settings", is_flag=True,
              help="Print the resolved settings (and where the cache and its key are), then "
                   "exit.")
@click.option("--explain-skips", is_flag=True,
              help="Print on standard error, per file, why it was or was not analysed.")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Time budget per file (default: 300).")
@click.option("--check-syntax", is_flag=True,
              help="Report syntax errors (EIG901) in every file, also in files that cannot hold "
                   "a decomposition's vectors (by default those are not parsed at all).")
@click.option("--no-prefilter", is_flag=True,
              help="Analyse every file, also those that cannot hold a decomposition's vectors "
                   "(slow; for checking the pre-filter).")
@click.option("--fix", is_flag=True,
              help="Apply fixes. eiglint's fixes are all unsafe (they change values to a "
                   "canonical gauge): they need --unsafe-fixes too.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=False,
              help="Enable the unsafe fixes: canonicalise the gauge of each decomposition that "
                   "findings come from, right after its vectors are bound.")
@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff instead of writing them (exit 1 when "
                   "there is a change).")
@click.option("--show-fixes", is_flag=True,
              help="List the fixes (applied or available) and why a decomposition gets none "
                   "(on standard error).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, "--version", prog_name="eiglint",
                      message="%(prog)s %(version)s")
def check(paths: tuple[str, ...], config: str | None, isolated: bool, output_file: str | None,
          show_statistics: bool, show_suppressed: bool, exit_zero: bool, quiet: bool,
          color: str, stdin_filename: str | None, no_default_path: bool, debug: bool,
          **cli: Any) -> None:
    """Lint PATHS (files, folders, `-` for standard input; default: the current folder)."""
    try:
        code = _check(paths, config, isolated, output_file, show_statistics, show_suppressed,
                      exit_zero, quiet, color, stdin_filename, no_default_path, debug, cli)
    except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in eiglint: no bare traceback unless --debug
        if debug:
            traceback.print_exc()
        raise _fail(f"internal error ({type(exc).__name__}: {exc}); "
                    "run with --debug for the traceback") from None
    sys.exit(code)


def _check(paths: tuple[str, ...], config: str | None, isolated: bool,
           output_file: str | None, show_statistics: bool, show_suppressed: bool,
           exit_zero: bool, quiet: bool, color: str, stdin_filename: str | None,
           no_default_path: bool, debug: bool, cli: Any) -> int:
    from_stdin = paths == ("-",) or (stdin_filename is not None and not paths)
    if "-" in paths and not from_stdin:
        raise click.UsageError("`-` (standard input) cannot be combined with other paths")
    if from_stdin and cli["add_noqa"]:
        raise click.UsageError("--add-noqa edits files; it cannot be used with standard input")
    if from_stdin:
        start = os.path.dirname(os.path.abspath(stdin_filename)) if stdin_filename else "."
    else:
        start = common_start(list(paths) or ["."])
    settings, origin = _settings(config, isolated, start, **cli)
    if debug:
        _debug_log()
    if cli["show_settings"]:
        click.echo(show_settings(settings, origin, cli), nl=False)
        return EXIT_OK
    fixing = Fixing(cli.pop("fix"), cli.pop("unsafe_fixes"), cli.pop("diff"),
                    cli.pop("show_fixes"))

    suppressed: list[Finding] = []
    sources = None
    if from_stdin:
        name = stdin_filename or "<stdin>"
        data = sys.stdin.buffer.read()
        findings: list[Finding] = []
        if not (stdin_filename and settings.force_exclude and is_excluded(name, settings)):
            findings = lint_data(data, name, settings, debug, suppressed)
        sources = {name: data}
        files = 1
        if fixing.fix or fixing.diff:
            return fixing.run_stdin(findings, name, data, quiet)
    else:
        targets = list(paths) if paths else ([] if no_default_path else ["."])
        started = time.perf_counter()
        explain: dict[str, str] | None = {} if cli["explain_skips"] else None
        try:
            result = _lint_paths(targets, settings, debug, cli, explain)
        except PathError as exc:
            raise _fail(f"path does not exist: {exc.args[0]}") from None
        findings, suppressed, files = result.findings, result.suppressed, result.files
        if cli["show_timings"]:
            from .timings import report

            click.echo(report(result.timings, time.perf_counter() - started, setup=result.setup),
                       err=True, nl=False)
        if explain is not None:
            for path in sorted(explain):
                click.echo(f"{path}: {explain[path]}", err=True)
        if fixing.wanted:
            status = fixing.run(findings, quiet)
            if fixing.diff:
                return status
            for _ in range(MAX_FIX_ROUNDS):
                if not fixing.last:
                    break
                # lint again, as ruff does after --fix: what is left, and the fixes that only
                # show once an earlier one is in (a DMD's eig after its SVD's)
                result = _lint_paths(targets, settings, debug, cli, None)
                findings, suppressed = result.findings, result.suppressed
                fixing.run(findings, quiet)
            if fixing.last:  # the last round still changed files
                result = _lint_paths(targets, settings, debug, cli, None)
                findings, suppressed = result.findings, result.suppressed
            fixing.report(quiet)
    if cli["add_noqa"]:
        return _add_noqa(findings)
    use_color = _use_color(color, sys.stdout) and output_file is None
    if show_statistics:
        text = statistics(findings)
    else:
        text = render(findings, settings.output_format, color=use_color, sources=sources)
    if output_file is not None:
        try:
            with open(output_file, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise _fail(f"cannot write {output_file}: {exc.strerror or exc}") from None
    elif text:
        try:
            click.echo(text, nl=False, color=use_color)
            sys.stdout.flush()
        except BrokenPipeError:  # `eiglint | head`: the reader has gone, not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if show_suppressed and suppressed:
        click.echo(f"Suppressed by comments ({len(suppressed)}):", err=True)
        click.echo(render(suppressed, "concise"), err=True, nl=False)
    if not quiet:
        click.echo(summary(findings, files, len(suppressed)), err=True)
    if findings and not exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


def _debug_log() -> None:
    """Under --debug, the analysis's notes (e.g. a function over its step budget) go to
    standard error; worker processes inherit this when they fork."""
    import logging

    log = logging.getLogger("eiglint")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("eiglint: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.DEBUG)


def _add_noqa(findings: Sequence[Finding]) -> int:
    """``--add-noqa``: silence the findings in their files; notebooks are not edited."""
    from .noqa_edit import NoqaError, add_noqa_file

    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    added = edited = 0
    failed = False
    for path, items in sorted(by_path.items()):
        if path.endswith(".ipynb"):
            click.echo(f"{path}: not edited (--add-noqa does not edit notebooks)", err=True)
            continue
        try:
            n = add_noqa_file(path, items)
        except (NoqaError, OSError) as exc:
            click.echo(f"eiglint: error: {path}: {exc}", err=True)
            failed = True
            continue
        added += n
        edited += 1 if n else 0
    click.echo(f"Added {_plural(added, 'noqa code')} in {_plural(edited, 'file')}.", err=True)
    return EXIT_ERROR if failed else EXIT_OK


#: lint-and-fix rounds of ``--fix --unsafe-fixes`` at most (ruff: 100; a round here only adds
#: canonicalisations of decompositions that the previous round's fixes exposed)
MAX_FIX_ROUNDS = 5


class Fixing:
    """``--fix``, ``--unsafe-fixes``, ``--diff`` and ``--show-fixes`` over a run's findings.

    As in ruff, ``--fix`` applies safe fixes only; eiglint has none (canonicalising a gauge
    changes values), so fixes are applied with ``--fix --unsafe-fixes`` and shown with
    ``--diff --unsafe-fixes``."""

    def __init__(self, fix: bool, unsafe: bool, diff: bool, show: bool) -> None:
        self.fix, self.unsafe, self.diff, self.show = fix, unsafe, diff, show
        #: findings fixed in all rounds and in the last one; decompositions and files fixed
        self.applied = self.last = self.sites = 0
        self.files: set[str] = set()
        #: ``--show-fixes`` lines already printed: a later round re-plans the same skipped
        #: decompositions and must not say so again
        self._shown: set[str] = set()

    def _say(self, line: str) -> None:
        if line not in self._shown:
            self._shown.add(line)
            click.echo(line, err=True)

    @property
    def wanted(self) -> bool:
        return self.fix or self.diff or self.show

    def plans(self, findings: Sequence[Finding], read: dict[str, str] | None = None
              ) -> list[FilePlan]:
        plans = plan_fixes(findings, read)
        if self.show:
            for plan in plans:
                verb = "Fixed" if self.fix and self.unsafe and not self.diff else "Fix"
                for fx in plan.fixes:
                    self._say(f"{fx.path}:{fx.line}: {verb}: {fx.title} "
                              f"({_plural(fx.findings, 'finding')})")
                for sk in plan.skipped:
                    self._say(f"{sk.path}:{sk.line}: No fix ({_plural(sk.findings, 'finding')}):"
                              f" {sk.reason}")
        return plans

    def _unsafe_note(self, plans: Sequence[FilePlan], quiet: bool) -> None:
        n = sum(fx.findings for p in plans for fx in p.fixes)
        if n and not quiet:
            click.echo(f"No safe fixes; {_plural(n, 'finding')} can be fixed with "
                       "`--unsafe-fixes` (canonicalising the gauge changes values).", err=True)

    def run(self, findings: Sequence[Finding], quiet: bool) -> int:
        """Plan; print the diff (``--diff``) or write the files (``--fix --unsafe-fixes``).
        Returns the exit status of ``--diff`` (1 when something would change)."""
        plans = self.plans(findings)
        if not self.unsafe:
            if self.fix or self.diff:
                self._unsafe_note(plans, quiet)
            return EXIT_OK
        changed = [p for p in plans if p.changed]
        if self.diff:
            click.echo("".join(p.diff() for p in changed), nl=False)
            if not quiet:
                n = sum(fx.findings for p in changed for fx in p.fixes)
                click.echo(f"Would fix {_plural(n, 'finding')} in "
                           f"{_plural(len(changed), 'file')}.", err=True)
            return EXIT_FINDINGS if changed else EXIT_OK
        if not self.fix:
            return EXIT_OK
        self.last = 0
        for plan in changed:
            try:
                with open(plan.path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(plan.fixed)
            except OSError as exc:
                raise _fail(f"cannot write {plan.path}: {exc.strerror or exc}") from None
            self.last += sum(fx.findings for fx in plan.fixes)
            self.sites += len(plan.fixes)
            self.files.add(plan.path)
        self.applied += self.last
        return EXIT_OK

    def report(self, quiet: bool) -> None:
        if not quiet and self.applied:
            click.echo(f"Fixed {_plural(self.applied, 'finding')} "
                       f"({_plural(self.sites, 'decomposition')} canonicalised in "
                       f"{_plural(len(self.files), 'file')}).", err=True)

    def run_stdin(self, findings: Sequence[Finding], name: str, data: bytes, quiet: bool
                  ) -> int:
        """Standard input: the fixed source on standard output (``--fix``), or its diff."""
        text = data.decode("utf-8", errors="surrogateescape")
        local = [f for f in findings if not f.trace or not f.trace[0].path]
        plans = self.plans(local, {os.path.normpath(name): text})
        if not self.unsafe:
            self._unsafe_note(plans, quiet)
            plans = []
        fixed = next((p.fixed for p in plans if p.changed), text)
        if self.diff:
            diff = "".join(p.diff() for p in plans if p.changed)
            click.echo(diff, nl=False)
            return EXIT_FINDINGS if diff else EXIT_OK
        if self.fix:
            sys.stdout.buffer.write(fixed.encode("utf-8", errors="surrogateescape"))
            sys.stdout.flush()
        return EXIT_OK


def _lint_paths(targets: list[str], settings: Settings, debug: bool, cli: Any,
                explain: dict[str, str] | None) -> Any:
    """lint_paths with the run options: workers, cache, time budget."""
    from .cache import key_origin

    cache_dir = _cache_dir(settings, cli)
    if debug and cache_dir is not None:
        click.echo(f"eiglint: cache: {cache_dir} (entries authenticated with the key in "
                   f"{key_origin()})", err=True)
    return lint_paths(targets, settings, debug=debug, jobs=cli["jobs"] or default_jobs(),
                      cache_dir=cache_dir, timeout=cli["file_timeout"], explain=explain)


@main.command("rule", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True,
              help="Print the documentation of every rule (the text of docs/rules.md).")
def rule(code: str | None, show_all: bool) -> None:
    """Explain rule CODE (e.g. EIG101, or its name): what it flags, why, and what to write.
    A prefix (EIG2, EIG) lists the rules it selects."""
    if show_all:
        click.echo(rules_markdown(), nl=False)
        return
    if not code:
        raise click.UsageError("give a rule code (e.g. `eiglint rule EIG101`) or --all")
    found = find_rule(code)
    if found is not None:
        click.echo(found.render(), nl=False)
        return
    family = rules_with_prefix(code)
    if not family:
        raise _fail(f"unknown rule or prefix {code!r}; `eiglint rule EIG` lists the rules")
    click.echo(rule_list(family), nl=False)


def _unavailable(name: str, error: BaseException) -> click.Command:
    """A stand-in for a subcommand whose package is there but fails to import: linting keeps
    working, and using the command reports the error (the traceback with --debug)."""
    detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))

    @click.command(name, context_settings={"ignore_unknown_options": True},
                   add_help_option=False, help=f"(unavailable: {type(error).__name__}: {error})")
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def unavailable(args: tuple[str, ...]) -> None:
        if "--debug" in args:
            click.echo(detail, err=True)
        raise _fail(f"`eiglint {name}` is unavailable: {type(error).__name__}: {error}")

    return unavailable
