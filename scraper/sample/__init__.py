"""The bundled sample blog (a fictional Wix pottery-studio blog) and the local server for it.

``blogbinder demo`` and the crawler tests serve it on 127.0.0.1::

    from scraper.sample import expected_posts, serve_sample_blog

    with serve_sample_blog() as server:
        truth = expected_posts(server.base_url)
"""

from __future__ import annotations

from .route import Route
from .server import LocalSiteServer, RequestRecord, serve_sample_blog
from .site import OLD_POST_REDIRECT, build_site, post_paths
from .truth import SAMPLE_NOW, expected_posts

__all__ = [
    "OLD_POST_REDIRECT",
    "LocalSiteServer",
    "RequestRecord",
    "SAMPLE_NOW",
    "Route",
    "build_site",
    "expected_posts",
    "post_paths",
    "serve_sample_blog",
]
