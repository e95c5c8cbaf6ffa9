"""Title, author and date accuracy of blogbinder, trafilatura and htmldate on the same pages.

Two evaluation sets from ../shared/data/meta/: trafilatura's (title/author/date truth) and
htmldate's (date truth only). Every extractor gets the same raw bytes and the same URL, in
this one process, and is scored with the same rules:

- title: equal after Unicode NFKC, dropping soft hyphens/zero-width characters and collapsing
  whitespace (case kept);
- author: equal sets of names, each name casefolded and whitespace-collapsed, the value (or
  the truth's list) split on ';', ',', '&', '|', '/' and ' and ';
- date: same calendar date (YYYY-MM-DD); blogbinder's ``published_at`` is read in its own
  UTC offset (no conversion), the peers return a day already.

``exact`` is the share of pages with a truth value that the tool got right; ``cov`` the share
of those pages where the tool returned anything; ``no-author ok`` / ``no-date ok`` the share of
pages whose truth is empty (no author, no date) where the tool returned nothing. pages/s is
per tool's own job: blogbinder runs the full ``extract_post`` (body included), trafilatura
``extract_metadata`` only, htmldate ``find_date`` only. Per-page predictions go to
``--out``; ``--worst N`` lists N pages per field where blogbinder disagrees with the truth.

Usage:
    .venv/bin/python bench/metadata_quality.py [--set trafilatura|htmldate|both]
        [--out /tmp/bb-meta] [--worst N] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
META = ROOT.parent / "shared" / "data" / "meta"
FIELDS = ("title", "author", "date")

Prediction = dict[str, str | None]


@dataclass(frozen=True)
class Page:
    page_id: str
    url: str
    html: bytes
    truth: Prediction  # only the fields this set has truth for


@dataclass
class Tally:
    seconds: float = 0.0
    hits: dict[str, int] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)
    truths: dict[str, int] = field(default_factory=dict)
    none_ok: dict[str, int] = field(default_factory=dict)
    empties: dict[str, int] = field(default_factory=dict)


# --- extractors -------------------------------------------------------------------------


def ours(html: bytes, url: str) -> Prediction:
    from scraper import ExtractionError, extract_post

    try:
        post = extract_post(html, url)
    except ExtractionError:
        return {"title": None, "author": None, "date": None}
    names = "; ".join(author.name for author in post.authors)
    day = post.published_at.date().isoformat() if post.published_at else None
    return {"title": post.title, "author": names or None, "date": day}


def trafilatura_meta(html: bytes, url: str) -> Prediction:
    from trafilatura import extract_metadata

    meta = extract_metadata(html, default_url=url)  # its defaults: original_date, extensive
    return {"title": meta.title, "author": meta.author, "date": meta.date}


def htmldate_date(html: bytes, url: str) -> Prediction:
    from htmldate import find_date

    day = find_date(html, url=url, original_date=True)  # publication date, extensive search
    return {"date": day}


EXTRACTORS: list[tuple[str, Callable[[bytes, str], Prediction]]] = [
    ("blogbinder", ours),
    ("trafilatura", trafilatura_meta),
    ("htmldate", htmldate_date),
]


# --- normalisation and comparison --------------------------------------------------------

SPACE = re.compile(r"\s+")
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))  # soft hyphen, ZW*
NAME_SPLIT = re.compile(r"\s*(?:[;,&|/]|\band\b)\s*", re.IGNORECASE)
DAY = re.compile(r"(\d{4})-(\d{1,2})[-.](\d{1,2})")


def clean(value: str) -> str:
    return SPACE.sub(" ", unicodedata.normalize("NFKC", value).translate(INVISIBLE)).strip()


def norm_title(value: str | None) -> str | None:
    return clean(value) or None if value else None


def norm_author(value: str | None) -> frozenset[str] | None:
    if not value:
        return None
    names = frozenset(part for part in NAME_SPLIT.split(clean(value).casefold()) if part)
    return names or None


def norm_date(value: str | None) -> str | None:
    match = DAY.match(value.strip()) if value else None
    if match is None:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


NORMALISE: dict[str, Callable[[str | None], object]] = {
    "title": norm_title,
    "author": norm_author,
    "date": norm_date,
}


def same(name: str, truth: str | None, pred: str | None) -> bool:
    return NORMALISE[name](truth) == NORMALISE[name](pred)


# --- loading ----------------------------------------------------------------------------


def text_or_none(value: Any) -> str | None:
    """Truth values: str, list of names, '' / None / NaN for 'none on this page'."""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return str(value)


def load_set(name: str) -> list[Page]:
    folder = META / name
    if name == "trafilatura":
        entries = json.loads((folder / "evaldata.json").read_text("utf-8"))
        # 59 entries carry only body-text truth (no title key): not metadata pages
        items = {url: item for url, item in entries.items() if "title" in item}
        fields: tuple[str, ...] = FIELDS
    else:
        items = {}
        for part in ("eval_default.json", "eval_mediacloud_2020.json"):
            items.update(json.loads((folder / part).read_text("utf-8")))
        fields = ("date",)
    pages = []
    for url, item in items.items():
        html = gzip.decompress((folder / "html" / f"{item['file']}.gz").read_bytes())
        truth = {key: text_or_none(item.get(key)) for key in fields}
        pages.append(Page(item["file"], url, html, truth))
    return pages


# --- running and reporting --------------------------------------------------------------


def score(pages: list[Page], preds: list[Prediction], tally: Tally) -> None:
    for page, pred in zip(pages, preds, strict=True):
        for key, truth in page.truth.items():
            if key not in pred:
                continue
            value = NORMALISE[key](pred[key])
            if NORMALISE[key](truth) is None:
                tally.empties[key] = tally.empties.get(key, 0) + 1
                tally.none_ok[key] = tally.none_ok.get(key, 0) + (value is None)
                continue
            tally.truths[key] = tally.truths.get(key, 0) + 1
            tally.answered[key] = tally.answered.get(key, 0) + (value is not None)
            tally.hits[key] = tally.hits.get(key, 0) + same(key, truth, pred[key])


def share(part: dict[str, int], whole: dict[str, int], key: str) -> str:
    if not whole.get(key):
        return "–"
    return f"{part.get(key, 0) / whole[key]:.3f}"


def table(set_name: str, pages: list[Page], tallies: dict[str, Tally]) -> None:
    keys = [key for key in FIELDS if key in pages[0].truth]
    counts = {key: sum(page.truth[key] is not None for page in pages) for key in keys}
    print(f"\n{set_name}: {len(pages)} pages; with truth: "
          + ", ".join(f"{key} {counts[key]}" for key in keys))  # fmt: skip
    columns = []
    for key in keys:
        columns += [f"{key} exact", f"{key} cov"] + ([f"no-{key} ok"] if key != "title" else [])
    print("\n| extractor | " + " | ".join(columns) + " | pages/s |")
    print("| --- |" + " --- |" * (len(columns) + 1))
    for name, tally in tallies.items():
        cells = []
        for key in keys:
            cells += [
                share(tally.hits, tally.truths, key),
                share(tally.answered, tally.truths, key),
            ]
            if key != "title":
                cells.append(share(tally.none_ok, tally.empties, key))
        speed = f"{len(pages) / tally.seconds:.0f}" if tally.seconds else "–"
        print(f"| {name} | " + " | ".join(cells) + f" | {speed} |")


def dump(out: Path, set_name: str, pages: list[Page], preds: dict[str, list[Prediction]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"{set_name}.jsonl").open("w", encoding="utf-8") as handle:
        for index, page in enumerate(pages):
            row: dict[str, Any] = {"id": page.page_id, "url": page.url, "truth": page.truth}
            for name, rows in preds.items():
                pred = rows[index]
                row[name] = pred
                row[f"{name}_ok"] = {
                    key: same(key, page.truth[key], pred[key])
                    for key in page.truth
                    if key in pred and page.truth[key] is not None
                }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def worst(pages: list[Page], preds: dict[str, list[Prediction]], count: int) -> None:
    """N pages per field where blogbinder is wrong, those a peer gets right first."""
    for key in FIELDS:
        rows = []
        for index, page in enumerate(pages):
            truth = page.truth.get(key)
            mine = preds["blogbinder"][index][key]
            if key not in page.truth or same(key, truth, mine):
                continue
            if truth is None and NORMALISE[key](mine) is None:
                continue
            peers = {
                name: rows_[index][key]
                for name, rows_ in preds.items()
                if name != "blogbinder" and key in rows_[index]
            }
            peer_right = any(same(key, truth, value) for value in peers.values())
            rows.append((not peer_right, page, truth, mine, peers))
        if not rows:
            continue
        print(f"\n{key}: blogbinder wrong on {len(rows)} pages (peer right first)")
        for _, page, truth, mine, peers in sorted(rows, key=lambda row: row[0])[:count]:
            others = "  ".join(f"{name}={value!r}" for name, value in peers.items())
            print(f"  {page.page_id}  {page.url}\n    truth={truth!r}  ours={mine!r}  {others}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["trafilatura", "htmldate", "both"], default="both")
    parser.add_argument("--out", type=Path, help="write <set>.jsonl with per-page predictions")
    parser.add_argument("--worst", type=int, default=0, help="list N disagreements per field")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages per set")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura/htmldate warn on odd pages
    names = ["trafilatura", "htmldate"] if args.set == "both" else [args.set]
    for set_name in names:
        pages = load_set(set_name)
        if args.limit:
            pages = pages[: args.limit]
        preds: dict[str, list[Prediction]] = {}
        tallies: dict[str, Tally] = {}
        for name, func in EXTRACTORS:
            tally = Tally()
            start = time.perf_counter()
            preds[name] = [func(page.html, page.url) for page in pages]
            tally.seconds = time.perf_counter() - start
            score(pages, preds[name], tally)
            tallies[name] = tally
        table(set_name, pages, tallies)
        if args.out:
            dump(args.out, set_name, pages, preds)
        if args.worst:
            worst(pages, preds, args.worst)


if __name__ == "__main__":
    main()
