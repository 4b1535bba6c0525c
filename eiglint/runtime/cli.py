"""``eiglint confirm [OPTIONS] PATHS... [-- COMMAND ARGS...]``: the click command.

Registered by :mod:`eiglint.cli` (``main.add_command(confirm)``). Everything after ``--`` is
the command to run (``-- pytest tests/test_x.py``, ``-- python train.py --steps 1``); without
it the flagged snippets run (the flagged file as a script, or the enclosing zero-argument
function, or ``--entry NAME``).

Exit status: 1 if any finding is confirmed (with ``--strict`` also if one is inconclusive;
``not-observable`` never fails), 0 otherwise, 2 for usage errors (unknown path, bad
``--entry``, a command that is not Python).
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from typing import Any

import click

from ..types import Finding
from .commands import paths_with_tests
from .options import ConfirmError, Options
from .runner import Report, confirm_findings

EXIT_OK, EXIT_CONFIRMED, EXIT_ERROR = 0, 1, 2
_OUTPUT_FORMATS = ("concise", "full", "json", "json-lines", "sarif", "github", "gitlab",
                   "pylint", "junit")


class ConfirmCommand(click.Command):
    """Splits the arguments at the first ``--``: PATHS before, the COMMAND after."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            i = args.index("--")
            ctx.meta["eiglint.confirm.command"] = tuple(args[i + 1:])
            args = args[:i]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] PATHS... [-- COMMAND ARGS...]")


def _codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
           ) -> tuple[str, ...] | None:
    if not values:
        return None
    flat = [c.strip() for v in values for c in v.split(",") if c.strip()]
    from ..config import ConfigError, check_codes

    try:
        return tuple(check_codes(flat, f"--{param.name}"))
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from None


def _fail(message: str) -> click.exceptions.Exit:
    click.echo(f"eiglint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _render(findings: list[Finding], fmt: str) -> str:
    try:
        from ..reporters import render
    except ImportError:  # reporters absent: the concise format, locally
        return "".join(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}"
                       + (f" [{f.verdict.status}"
                          + (f": max change {f.verdict.max_change:.3g}"
                             if f.verdict.max_change is not None else "")
                          + "]" if f.verdict is not None else "") + "\n" for f in findings)
    return render(findings, fmt)


def summary(report: Report) -> str:
    counts = report.counts()
    order = ("confirmed", "not-observable", "not-reproduced", "not-reached", "inconclusive")
    parts = [f"{counts[s]} {s}" for s in order if counts.get(s)]
    runs = len(report.runs)
    what = ", ".join(parts) if parts else "nothing to confirm"
    return (f"eiglint confirm: {what} ({runs} run{'s' * (runs != 1)}, "
            f"{report.duration:.1f} s).")


@click.command("confirm", cls=ConfirmCommand,
               context_settings={"help_option_names": ["-h", "--help"]},
               epilog="Exit status: 1 if a finding is confirmed (--strict: or inconclusive; "
                      "never for not-observable), 0 otherwise, 2 on usage errors. Runs user "
                      "code: only use it on code you trust.")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--runs", "runs", type=click.IntRange(min=1), default=3, show_default=True,
              help="Number of random gauges (besides the baseline and the control run).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the user's Python/NumPy/torch RNGs (same in every run) and of the "
                   "gauges.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds per run; the run's whole process group is killed after it.")
@click.option("--entry", default=None, metavar="NAME",
              help="Call this zero-argument function of the flagged file(s) instead of "
                   "running the snippets.")
@click.option("--strict", is_flag=True, help="Also exit 1 when a verdict is inconclusive.")
@click.option("--sweep", type=click.IntRange(min=0), default=8, show_default=True,
              help="For sign findings: flip single columns 0..N-1, one run each.")
@click.option("--degenerate/--no-degenerate", default=True, show_default=True,
              help="Also mix inside clusters of repeated eigenvalues when the baseline meets "
                   "them.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Runs in parallel (default: min(CPUs, 4)).")
@click.option("--output-format", type=click.Choice(_OUTPUT_FORMATS), default=None,
              help="How to print the findings with their verdicts (default: concise).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="Read [tool.eiglint] from this file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", multiple=True, callback=_codes, metavar="CODES",
              help="Codes or prefixes to confirm (default: the configured selection).")
@click.option("--ignore", multiple=True, callback=_codes, metavar="CODES",
              help="Codes or prefixes not to confirm.")
@click.option("--show-output", is_flag=True,
              help="Print the captured stdout/stderr of the baseline run (on stderr).")
@click.option("-v", "--verbose", is_flag=True, help="Report each run as it finishes.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def confirm(ctx: click.Context, paths: tuple[str, ...], runs: int, seed: int, timeout: float,
            entry: str | None, strict: bool, sweep: int, degenerate: bool, jobs: int,
            output_format: str | None, output_file: str | None, config: str | None,
            isolated: bool, select: tuple[str, ...] | None,
            ignore: tuple[str, ...] | None, show_output: bool, verbose: bool, quiet: bool,
            debug: bool) -> None:
    """Run the code flagged in PATHS under random valid gauges and report what changes.

    Every eigen/singular-vector decomposition returns an equally valid result (V·D with random
    phases or signs D). Verdicts: confirmed (the flagged value breaks the gauge, an output
    changes while the control run does not, and replaying the value's baseline value under
    the same gauge removes or shrinks that change; when several flagged values cause it
    together: replaying them jointly does, or injecting the value's gauged value into an
    ungauged run changes that output too), not-observable (it breaks, but no output changes
    through it), not-reproduced (it never changes, or only by a unit factor per
    row/column: it carries the gauge), not-reached, inconclusive. Outputs: return values,
    prints, exit status, test outcomes, leaf gradients. Escapes (EIG107/EIG207) are judged
    by the call's result.

    Runs COMMAND if given after `--` (e.g. `-- pytest tests/test_x.py`), otherwise the
    flagged file as a script, the enclosing function when it takes no arguments, the nearest
    zero-argument caller in PATHS (run(), main(), a test, a __main__ block; calls followed
    through instances, `m = Model(); m.fit(x)`), a notebook's code cells in order, or
    --entry NAME.
    """
    command: tuple[str, ...] = ctx.meta.get("eiglint.confirm.command", ())
    if not paths:
        raise click.UsageError("give the PATHS to lint (files or folders)")
    try:
        code = _confirm(paths, command, Options(
            runs=runs, seed=seed, timeout=timeout, entry=entry, command=command, sweep=sweep,
            degenerate=degenerate, jobs=jobs, files=paths), strict, output_format,
            output_file, config, isolated, select, ignore, show_output, verbose, quiet, debug)
    except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
        raise
    except ConfirmError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - an internal error: no bare traceback
        if debug:
            import traceback

            traceback.print_exc()
        raise _fail(f"internal error ({type(exc).__name__}: {exc}); run with --debug for the "
                    "traceback") from None
    sys.exit(code)


def _confirm(paths: tuple[str, ...], command: tuple[str, ...], options: Options, strict: bool,
             output_format: str | None, output_file: str | None, config: str | None,
             isolated: bool, select: tuple[str, ...] | None,
             ignore: tuple[str, ...] | None, show_output: bool, verbose: bool, quiet: bool,
             debug: bool) -> int:
    from ..api import PathError, lint_paths
    from ..config import ConfigError, common_start, load_settings

    try:
        settings, _ = load_settings(config, common_start(list(paths)), isolated)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    changes: dict[str, Any] = {}
    if select is not None:
        changes["select"] = select
    if ignore is not None:
        changes["ignore"] = tuple(settings.ignore) + ignore
    if changes:
        settings = replace(settings, **changes)
    try:
        result = lint_paths(list(paths), settings, debug=debug)
    except PathError as exc:
        raise _fail(f"path does not exist: {exc.args[0]}") from None
    findings = list(result.findings)
    fmt = output_format or getattr(settings, "output_format", None) or "concise"
    if not command and options.entry is None:
        tests = paths_with_tests(paths)
        if tests and importlib.util.find_spec("pytest") is not None:
            # `eiglint confirm pkg/ tests/`: the tests among PATHS are what exercises the code
            command = ("python", "-m", "pytest", "-q", *tests)
            options = replace(options, command=command)

    def progress(line: str) -> None:
        if verbose:
            click.echo(f"  {line}", err=True)

    if not quiet and any(f.kind != "file" for f in findings):
        what = "`" + " ".join(command) + "`" if command else (
            f"--entry {options.entry}" if options.entry else "the flagged snippets")
        click.echo(f"eiglint confirm: {sum(f.kind != 'file' for f in findings)} finding(s); "
                   f"running {what} under {options.runs} random gauge(s) plus baseline and "
                   "control...", err=True)
    report = confirm_findings(findings, options, progress)
    text = _render(report.findings, fmt)
    if output_file is not None:
        with open(output_file, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    elif text:
        click.echo(text, nl=False)
    if show_output and report.runs:
        base = report.runs[0]
        click.echo(f"--- baseline stdout ({base.spec.label}) ---", err=True)
        click.echo(base.stdout, err=True, nl=not base.stdout.endswith("\n"))
        click.echo("--- baseline stderr ---", err=True)
        click.echo(base.stderr, err=True, nl=not base.stderr.endswith("\n"))
    if not quiet:
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(summary(report), err=True)
    return report.exit_code(strict)


__all__ = ["ConfirmCommand", "confirm", "summary"]
