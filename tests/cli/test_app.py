"""The command line's contract: one-line errors, exit codes 0/1/2, tracebacks only with --debug."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper import _compiled
from scraper.cli import cli
from scraper.errors import ExtractionError
from scraper.extract._scan import NATIVE as C_SCANS
from scraper.extract._walk import NATIVE as C_WALKS

PAGE = """<!doctype html><html lang="en"><head><title>Hello there | Site</title>
<meta property="og:title" content="Hello there"></head>
<body><article><h1>Hello there</h1><p>Some words in a paragraph.</p></article></body></html>"""


@pytest.fixture()
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_extract_prints_json(page: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://ex.com/post/hello"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["url"] == "https://ex.com/post/hello"
    assert data["site"] == "https://ex.com"
    assert data["title"] == "Hello there"


def test_unknown_flag_is_usage_error(page: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(page), "--no-such-flag"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "absent.html")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ") and "absent.html" in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--url", "ftp://example.com/x"], "not an http(s) URL"),
        (["--fetched-at", "yesterday-ish"], "--fetched-at"),
    ],
)
def test_bad_values_are_usage_errors(page: Path, args: list[str], needle: str) -> None:
    result = CliRunner().invoke(cli, ["extract", str(page), *args])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_runtime_error_exit_1_and_debug_traceback(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ExtractionError("page is not HTML", "https://ex.com/x")

    monkeypatch.setattr("scraper.cli.cmd_extract.extract_post", broken)
    result = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://ex.com/x"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: page is not HTML: https://ex.com/x"

    result = CliRunner().invoke(cli, ["--debug", "extract", str(page)])
    assert result.exit_code == 1
    assert isinstance(result.exception, ExtractionError)


def test_unexpected_exception_is_one_line(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("scraper.cli.cmd_extract.extract_post", broken)
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: internal error: RuntimeError: boom")


def test_python_dash_m_entry_point(page: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scraper", "extract", str(page), "--url", "https://ex.com/p"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["title"] == "Hello there"


def test_crawl_summary_keeps_long_urls_whole_when_stderr_is_a_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from scraper.cli.cmd_crawl import _summary_table
    from scraper.cli.progress import stderr_console
    from scraper.crawl_report import CrawlSummary
    from scraper.records import RunStats

    site = "https://a-rather-long-blog-name.example.com"
    summary = CrawlSummary(
        start_url=f"{site}/blog",
        site=site,
        run_id=1,
        status="completed",
        stats=RunStats(discovered=120, fetched=118, new=118, failed=2),
        elapsed=12.34,
        requests=121,
        resumed=False,
    )
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    stderr_console().print(_summary_table([summary]))
    text = log.getvalue()
    assert site in text and "completed" in text
    assert "…" not in text


def test_version_says_which_extraction_modules_run() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("blogbinder ")
    walks = "on" if C_WALKS else "off"
    scans = "on" if C_SCANS else "off"
    expected = f"(extraction modules: {_compiled.MODE}; C tree walks: {walks}; C scans: {scans})"
    assert expected in result.output
    assert _compiled.MODE in ("compiled", "source", "pure")
