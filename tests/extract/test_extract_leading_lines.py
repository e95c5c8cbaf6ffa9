"""Date lines, reading-time lines and editors' credits opening the body are the header's,
not the post's."""

from __future__ import annotations

import pytest

from scraper.extract import extract_post
from scraper.extract.dates import is_date_line

URL = "https://kiln.example.org/2025/04/firing-schedules"
PARA = "<p>{} A slow ramp through quartz inversion keeps thick pots whole in the kiln.</p>"


@pytest.mark.parametrize(
    "line",
    ["December 18, 2025", "15 Dec, 2025", "Dec 29, 2025 |", "2025-12-12",
     "Last updated on September 16th, 2023 at 09:27 am", "Published: Feb 6, 2024",
     "Published June 23, 2025 10:39AM", "Veröffentlicht am 3. März 2024",
     "Publié le 12 janvier 2024", "Published:", "Posted On", "Tuesday, March 4, 2025"],
)  # fmt: skip
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    ["This post was last updated July 2021.", "On December 18, 2025 we went to Rome",
     "Posted on December 18, 2025 Posted by John Scalzi", "Date night ideas", "Posts",
     "March", "A year of glazes, 2024", ""],
)  # fmt: skip
def test_not_date_lines(line: str) -> None:
    assert not is_date_line(line)


@pytest.mark.parametrize(
    "header",
    [["Last updated: April 21, 2025"], ["Published:", "Feb 6, 2024"],
     ["Reading Time: 11 minutes"], ["3 MIN. READ"], ["December 18, 2025", "6 min read"],
     ["Medically reviewed by Ann Lee, MD"], ["Fact checked by Bo Chen", "May 2, 2025"],
     ["Tempo de leitura: 2 minutos"], ["Lesezeit: 4 Min."], ["4 min de lecture"],
     ["Updated 5:27 am CST, Wednesday, November 20, 2019"]],
)  # fmt: skip
def test_header_lines_opening_the_body_are_trimmed(header: list[str]) -> None:
    lines = "".join(f"<p>{line}</p>" for line in header)
    body = "".join(PARA.format(f"Step {i}.") for i in range(1, 7))
    page = f"""<html><head><title>Firing schedules</title></head><body><article>
    <h1>Firing schedules</h1>{lines}{body}</article></body></html>"""
    post = extract_post(page, URL)
    assert post.body_text.startswith("Step 1.")
    assert post.body_text.count("Step ") == 6


def test_a_dated_paragraph_of_the_post_stays() -> None:
    body = "".join(PARA.format(f"Step {i}.") for i in range(1, 4))
    page = f"""<html><head><title>Firing schedules</title></head><body><article>
    <h1>Firing schedules</h1><p>On May 2, 2025 we fired the new kiln.</p>{body}
    </article></body></html>"""
    post = extract_post(page, URL)
    assert post.body_text.startswith("On May 2, 2025 we fired the new kiln.")
