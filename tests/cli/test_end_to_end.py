"""The walking skeleton end to end: demo, posts, extract, export, and failure exits."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.sample import expected_posts
from scraper.sample.server import serve_sample_blog

SCHEMA = json.loads((Path(__file__).parents[1] / "contract" / "post.schema.json").read_text())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_demo_twice_is_idempotent(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    out = tmp_path / "archive"
    port = _free_port()
    args = ["--quiet", "demo", "--db", db, "--out", str(out), "--port", str(port), "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    expected = expected_posts(f"http://127.0.0.1:{port}")
    assert summary["posts"] == len(expected) >= 12
    assert summary["new"] == len(expected)
    assert summary["products"] >= 3
    files_before = _tree(out)
    md_files = [name for name in files_before if "/posts/" in name and name.endswith(".md")]
    assert len(md_files) == len(expected)

    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0, second.output
    again = json.loads(second.stdout)
    assert again["posts"] == summary["posts"]
    assert again["new"] == 0 and again["changed"] == 0
    assert again["files_written"] == 0
    assert _tree(out) == files_before

    listed = CliRunner().invoke(cli, ["posts", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    by_url = {row["url"]: row for row in rows}
    assert len(rows) == len(expected)
    for truth in expected:
        row = by_url[truth["url"]]
        assert row["title"] == truth["title"]
        assert row["authors"] == [a["name"] for a in truth["authors"]]
        assert row["published_at"] is not None


def test_extract_sample_post_is_valid_against_schema(tmp_path: Path) -> None:
    with serve_sample_blog() as server:
        truth = expected_posts(server.base_url)[0]
        route = server.route(truth["url"].removeprefix(server.base_url))
        assert route is not None
        page = tmp_path / "post.html"
        page.write_bytes(route.body)
    result = CliRunner().invoke(
        cli,
        ["extract", str(page), "--url", truth["url"], "--fetched-at", "2024-07-01T12:00:00Z"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["title"] == truth["title"]
    assert data["platform"] == "wix"


def test_crawl_nothing_listening_is_one_line_exit_1(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:1/", "--db", db])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "127.0.0.1:1" in lines[0]


def test_crawl_unknown_flag_exit_2() -> None:
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:1/", "--frobnicate"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["crawl", "not a url"],
        ["posts", "--since", "last tuesday"],
        ["posts", "--db", "nonsense"],
    ],
)
def test_bad_values_exit_2(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_unreachable_database_exit_1() -> None:
    result = CliRunner().invoke(
        cli, ["posts", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "--json"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "127.0.0.1:1" in result.stderr


def test_export_unwritable_directory_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli, ["export", "--out", str(blocker / "sub"), "--db", f"sqlite:///{tmp_path / 'e.db'}"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "sub" in result.stderr
