"""The click group, global flags and the one place errors become exit codes.

Exit codes: 0 OK, 1 runtime failure, 2 usage error. A :class:`BlogbinderError`
becomes one line on stderr; tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

import click

from .. import _compiled
from ..errors import BlogbinderError
from ..extract._scan import NATIVE as C_SCANS
from ..extract._walk import NATIVE as C_WALKS

__all__ = ["AppContext", "CliError", "cli", "main"]


@dataclass(slots=True)
class AppContext:
    debug: bool = False
    quiet: bool = False
    log_json: bool = False


class CliError(click.ClickException):
    """A runtime failure shown as one ``Error: message`` line (exit 1)."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class CliUsageError(CliError):
    """A bad value on the command line (exit 2), shown the same way."""

    exit_code = 2


def _cli_error(message: str, exit_code: int) -> CliError:
    return CliUsageError(message) if exit_code == 2 else CliError(message)


class BlogbinderGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BlogbinderError as exc:
            if _debug(ctx):
                raise
            raise _cli_error(str(exc), exc.exit_code) from exc
        except Exception as exc:
            if _debug(ctx):
                raise
            message = f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)"
            raise CliError(message) from exc


def _debug(ctx: click.Context) -> bool:
    obj = ctx.find_object(AppContext)
    return bool(obj and obj.debug)


class _JsonLogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        import json

        return json.dumps(
            {
                "time": self.formatTime(record),
                "level": record.levelname.lower(),
                "logger": record.name,
                "message": record.getMessage(),
            }
        )


def _configure_logging(app: AppContext) -> None:
    logger = logging.getLogger("blogbinder")
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    if app.log_json:
        handler.setFormatter(_JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    if app.debug:
        logger.setLevel(logging.DEBUG)
    elif app.quiet:
        logger.setLevel(logging.ERROR)
    else:
        logger.setLevel(logging.WARNING)


@click.group(cls=BlogbinderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="blogbinder",
    prog_name="blogbinder",
    message=(
        f"%(prog)s %(version)s (extraction modules: {_compiled.MODE}; "
        f"C tree walks: {'on' if C_WALKS else 'off'}; C scans: {'on' if C_SCANS else 'off'})"
    ),
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars; only errors on stderr.")
@click.option("--log-json", is_flag=True, help="Machine-readable JSON log lines on stderr.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool, log_json: bool) -> None:
    """blogbinder: crawl blogs into SQL and export them as Markdown archives.

    \b
    Example:
        blogbinder crawl https://www.example.com/blog
        blogbinder posts --json
        blogbinder export --out archive/
    """
    app = AppContext(debug=debug, quiet=quiet, log_json=log_json)
    ctx.obj = app
    _configure_logging(app)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    from . import commands  # noqa: F401  (registers the subcommands)

    cli.main(args=argv, prog_name="blogbinder")
