"""The public face of the package, and option checking."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import archive
from archive import ExportOptions
from archive._yaml import YamlValue, dump_yaml, quote
from scraper.errors import UsageError

ROOT = Path(archive.__file__).parent


def test_all_matches_exports() -> None:
    public = {name for name in dir(archive) if not name.startswith("_")}
    assert set(archive.__all__) == public - {"annotations"}
    for name in archive.__all__:
        assert getattr(archive, name) is not None


def test_no_storage_or_sqlalchemy_imports() -> None:
    for path in ROOT.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert not name.startswith(("storage", "sqlalchemy", "scraper.cli", "httpx")), path


@pytest.mark.parametrize(
    "kwargs",
    [
        {"flavor": "wordpress"},
        {"images": "inline"},
        {"archive": "rar"},
        {"images": "download"},
        {"since": datetime(2024, 1, 1, tzinfo=UTC)},
    ],
)
def test_bad_options_are_usage_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        ExportOptions(**kwargs)  # type: ignore[arg-type]


def test_good_options() -> None:
    options = ExportOptions(flavor="jekyll", archive="tar.gz", since=date(2024, 1, 1))
    assert options.images == "link"


@given(st.text())
def test_any_string_round_trips_through_yaml(text: str) -> None:
    assert yaml.safe_load(quote(text)) == text
    doc: dict[str, YamlValue] = {
        "title": text,
        "tags": [text, ""],
        "items": [{"name": text, "price": None}],
    }
    assert yaml.safe_load(dump_yaml(doc)) == doc
