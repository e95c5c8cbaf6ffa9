"""``blogbinder export --images download`` end to end: the sample blog crawled over HTTP,
its images fetched from the same server into content-named files, and a broken image
reported without failing the export."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.sample import expected_posts
from scraper.sample.server import serve_sample_blog

from ..archive.helpers import parse_markdown, read_export, resolve


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_images_are_downloaded_once_and_failures_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLOGBINDER_CONTACT", "https://archivist.example/about")
    db = f"sqlite:///{tmp_path / 'blog.db'}"
    with serve_sample_blog() as server:
        code, _, err = _run("--quiet", "crawl", server.base_url, "--db", db, "--delay", "0")
        assert code == 0, err
        host = server.base_url.removeprefix("http://").replace(":", "_")
        out = tmp_path / "archive"
        export = ["export", "--db", db, "--out", str(out), "--images", "download", "--json"]
        code, stdout, err = _run(*export)
        assert code == 0, err
        assert json.loads(stdout)["posts"] == len(expected_posts(server.base_url))

        image_hits = [r for r in server.requests() if r.path.startswith("/media/")]
        assert image_hits, "the sample blog's images were not fetched"
        agents = {{k.lower(): v for k, v in r.headers.items()}["user-agent"] for r in image_hits}
        (agent,) = agents  # the crawler's user agent, with the contact from the settings
        assert agent.endswith("(+https://archivist.example/about)"), agent
        downloaded = 0
        for md in sorted(out.rglob("*.md")):
            if "/posts/" not in md.as_posix():
                continue
            _, body = read_export(md)
            for _, src in parse_markdown(body).images:
                assert not src.startswith(server.base_url), f"{md.name} still links {src}"
                file = resolve(md, src)
                assert file.stem == hashlib.sha256(file.read_bytes()).hexdigest()[:24]
                downloaded += 1
        assert downloaded > 0
        assert (out / host / "assets" / ".sources.json").is_file()

        # once on disk, never fetched again; a second export writes nothing
        server.clear_log()
        code, stdout, err = _run(*export)
        assert code == 0, err
        assert json.loads(stdout)["new"] == json.loads(stdout)["changed"] == 0
        assert not [r for r in server.requests() if r.path.startswith("/media/")]

        # a broken image: a warning naming it, exit 0, the post keeps the original URL
        broken = image_hits[0].path
        server.remove_route(broken)
        fresh = tmp_path / "fresh"
        code, _, err = _run("export", "--db", db, "--out", str(fresh), "--images", "download")
        assert code == 0, err
        assert f"warning: image not downloaded: {server.url(broken)}" in err
        assert "HTTP 404" in err
        bodies = "".join(read_export(md)[1] for md in fresh.rglob("*.md") if "/posts/" in str(md))
        assert server.url(broken) in bodies
