"""blogbinder's scraper: discovery, fetching and extraction of blog posts."""

from __future__ import annotations

from . import _compiled  # noqa: F401  (picks compiled or source extraction modules first)
from .errors import (
    BlogbinderError,
    CrawlerError,
    ExportError,
    ExtractionError,
    FetchError,
    StorageError,
    UsageError,
)
from .extract import extract_post
from .model import Author, Image, Post, Product, RelatedLink, Section

__all__ = [
    "Author",
    "BlogbinderError",
    "CrawlerError",
    "ExportError",
    "ExtractionError",
    "FetchError",
    "Image",
    "Post",
    "Product",
    "RelatedLink",
    "Section",
    "StorageError",
    "UsageError",
    "extract_post",
]
__version__ = "0.1.0"
