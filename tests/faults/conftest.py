from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .report import Reliability

REPORT_ENV = "BLOGBINDER_RELIABILITY_REPORT"


@pytest.fixture(scope="session")
def reliability() -> Iterator[Reliability]:
    """Rows for docs/RELIABILITY.md; written to $BLOGBINDER_RELIABILITY_REPORT when set."""
    rows = Reliability()
    yield rows
    target = os.environ.get(REPORT_ENV)
    if target:
        path = Path(target)
        old = json.loads(path.read_text()) if path.exists() else []
        keep = [r for r in old if (r["area"], r["fault"]) not in rows.keys()]
        path.write_text(json.dumps(keep + rows.rows, indent=1, sort_keys=True) + "\n")
