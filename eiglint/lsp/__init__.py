"""``eiglint lsp``: a language server (stdio) showing eiglint's findings while you type.

The server needs the optional ``pygls`` dependency (``pip install 'eiglint[lsp]'``); this
module only defines the command, so ``eiglint --help`` works without it. The server itself is
:mod:`eiglint.lsp.server`.
"""
from __future__ import annotations

import click


class _MissingExtra(click.ClickException):
    """A missing optional dependency: a usage error, exit code 2 (as click's own)."""

    exit_code = 2


@click.command("lsp", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--stdio", is_flag=True, default=True,
              help="Speak LSP over stdin/stdout (the default and only transport; accepted "
                   "because many editors pass it).")
def lsp(stdio: bool) -> None:
    """Run the eiglint language server on stdin/stdout (for editors; see the README)."""
    try:
        from .server import serve
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.split(".")[0] in ("pygls", "lsprotocol"):
            raise _MissingExtra("`eiglint lsp` needs pygls: pip install 'eiglint[lsp]'") from exc
        raise
    serve()
