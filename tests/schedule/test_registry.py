"""The site registry: intervals, ``sites add/list/set/remove`` and ``[[sites]]`` in
blogbinder.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.cli._registry import config_sites, format_interval, parse_interval
from scraper.errors import UsageError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6h", 21600), ("1d", 86400), ("90m", 5400), ("1h30m", 5400), ("3600", 3600), ("1w", 604800)],
)
def test_parse_interval(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "6x", "h6", "0m", "1h 2"])
def test_bad_interval_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_interval(text)


def test_format_interval() -> None:
    assert [format_interval(s) for s in (21600, 86400, 5400, 61)] == ["6h", "1d", "90m", "61s"]


def test_sites_add_list_set_remove(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    runner = CliRunner()
    url = "https://blog.example.com/journal"
    added = runner.invoke(
        cli,
        ["sites", "add", url, "--every", "6h", "--delay", "2", "--exclude", "/tag/", "--db", db],
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["sites", "add", url, "--db", db])
    assert again.exit_code == 2 and "already registered" in again.stderr
    listed = json.loads(runner.invoke(cli, ["sites", "list", "--json", "--db", db]).stdout)
    assert [(s["url"], s["every"], s["options"]) for s in listed] == [
        (url, "6h", {"delay": 2.0, "exclude": ["/tag/"]})
    ]
    changed = runner.invoke(
        cli, ["sites", "set", url, "--every", "1d", "--concurrency", "4", "--db", db]
    )
    assert changed.exit_code == 0, changed.output
    listed = json.loads(runner.invoke(cli, ["sites", "list", "--json", "--db", db]).stdout)
    assert listed[0]["every_seconds"] == 86400
    assert listed[0]["options"] == {"delay": 2.0, "exclude": ["/tag/"], "concurrency": 4}
    assert runner.invoke(cli, ["sites", "remove", url, "--db", db]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["sites", "list", "--json", "--db", db]).stdout) == []
    missing = runner.invoke(cli, ["sites", "remove", url, "--db", db])
    assert missing.exit_code == 2 and "no such site" in missing.stderr


def test_sites_add_rejects_bad_values(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/r.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["sites", "add", "ftp://x", "--db", db]).exit_code == 2
    bad = runner.invoke(cli, ["sites", "add", "https://x.org", "--every", "soon", "--db", db])
    assert bad.exit_code == 2 and "interval" in bad.stderr
    short = runner.invoke(cli, ["sites", "add", "https://x.org", "--every", "10s", "--db", db])
    assert short.exit_code == 2 and "at least one minute" in short.stderr


def test_config_sites(tmp_path: Path) -> None:
    config = tmp_path / "blogbinder.toml"
    config.write_text(
        '[settings]\ndelay = 2.0\n\n[[sites]]\nurl = "https://a.example.com/blog"\nevery = "6h"\n'
        'concurrency = 1\n\n[[sites]]\nurl = "https://b.example.com"\n'
    )
    assert config_sites(config) == [
        ("https://a.example.com/blog", 21600, {"concurrency": 1}),
        ("https://b.example.com", 86400, {}),
    ]
    config.write_text('[[sites]]\nurl = "https://a.example.com"\nspeed = 3\n')
    with pytest.raises(UsageError, match="unknown keys"):
        config_sites(config)
