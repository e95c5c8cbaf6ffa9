"""Bad command-line input: one `Error:` line, the documented exit code, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["crawl", "ftp://example.com/"], 2),
        (["crawl", "http://"], 2),
        (["crawl", "http://127.0.0.1:1/", "--db", "nonsense://x"], 1),
        (["posts", "--until", "2024-13-45"], 2),
        (["posts", "--since", "yesterday-ish"], 2),
        (["crawl", "http://127.0.0.1:1/", "--concurrency", "0"], 2),
    ],
)
def test_bad_input_is_one_line(args: list[str], code: int, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("Error: ")
    assert "Traceback" not in result.output


def test_unwritable_export_directory(tmp_path: Path) -> None:
    # /dev/null is not a directory, whoever runs the tests (root ignores permissions)
    result = CliRunner().invoke(
        cli, ["export", "--out", "/dev/null/archive", "--db", f"sqlite:///{tmp_path / 'e.db'}"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_unreachable_sqlite_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["posts", "--db", f"sqlite:///{tmp_path}/no/such/dir/x.db"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output
