"""The extraction engine: one HTML page in, one :class:`~scraper.model.Post` out.

Pipeline (each step its own module)::

    _decode     bytes -> str (BOM, meta charset, fallback); binary input rejected
    _document   parse once (selectolax lexbor); meta tags, JSON-LD, microdata
    platforms/  detect the blog platform; selectors for title/byline/date/body/cuts
                (medium_state: Medium's embedded Apollo state when markup is obfuscated)
    metadata    JSON-LD / meta / microdata fields
    header      title, authors, dates (cross-checked), reading time, tags, language
                (titles: the headline without kickers; bylines: which author elements
                belong to the post; datehints: fallback and URL dates, comment/embed dates)
    content     generic main-content detection when no platform body is found
                (_boilerplate: never-content tags, structural and boilerplate blocks)
    links       link-preview cards; which links are other posts of the same blog
    products    product cards (platform cards, schema.org, a general buy-button rule)
    markdown    body DOM -> CommonMark + text blocks (_blocks: the block types, escaping;
                _images: image sources and captions), then split into sections here,
                with related links mapped to sections
    pipeline    the steps above in order (``extract``); compiled with mypyc when the
                install can (setup.py), like every module here but this one

Pure: no network, files or global state. Failures raise ``ExtractionError``.
"""

from __future__ import annotations

import gc
from datetime import datetime

from ..errors import ExtractionError
from ..model import Post
from .options import DEFAULT_OPTIONS, ExtractOptions
from .pipeline import extract

__all__ = ["ExtractOptions", "extract_post"]


def extract_post(
    html: str | bytes,
    url: str,
    fetched_at: datetime | None = None,
    options: ExtractOptions | None = None,
) -> Post:
    """Extract one blog post from ``html`` fetched from ``url``.

    ``fetched_at`` anchors relative dates ("3 days ago"); without it they stay null.
    Raises :class:`~scraper.errors.ExtractionError` (carrying ``url``) when the input is
    not an HTML page that can be read; never any other exception.
    """
    # The cyclic garbage collector is paused while one page is extracted: the work makes
    # thousands of short-lived objects but only a few reference cycles (about 4 a page on
    # the AEB pages, collected after the pause), and the collector's passes over them took
    # about a twentieth of the time. Whoever paused it resumes it, so a page extracted on
    # another thread meanwhile cannot leave it off.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return extract(html, url, fetched_at, options or DEFAULT_OPTIONS)
    except ExtractionError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ExtractionError(f"page too complex to extract ({type(exc).__name__})", url) from exc
    except Exception as exc:  # a bug must not take down a crawl; report it as this page's error
        raise ExtractionError(f"extraction failed: {type(exc).__name__}: {exc}", url) from exc
    finally:
        if paused:
            gc.enable()
