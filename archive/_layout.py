"""Where each flavor puts things, and the site files a flavor needs to build.

All paths are POSIX paths relative to the host directory (``OUT/<host>/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from posixpath import relpath

from ._types import Flavor
from ._yaml import YamlValue, dump_yaml

__all__ = ["Layout", "layout_for", "relative_path", "site_files"]


@dataclass(frozen=True, slots=True)
class Layout:
    flavor: Flavor
    posts_dir: str
    undated_dir: str
    pages_dir: str  # where index, authors/, tags/ and products.md live
    index_name: str
    assets_dir: str
    assets_url: str | None  # root-absolute URL prefix of assets; None: link files relatively

    @property
    def wikilinks(self) -> bool:
        return self.flavor == "obsidian"

    @property
    def url_key(self) -> str:
        """Hugo reserves ``url`` for the page's own path, so it gets ``source_url``."""
        return "source_url" if self.flavor == "hugo" else "url"

    def page(self, *parts: str) -> str:
        return "/".join(p for p in (self.pages_dir, *parts) if p)

    def link(self, source: str, target: str) -> str:
        """Relative link from the file ``source`` to the file ``target``."""
        return relative_path(target, source.rpartition("/")[0])

    def asset_link(self, source: str, asset: str) -> str:
        if self.assets_url is None:
            return self.link(source, asset)
        return self.assets_url + asset[len(self.assets_dir) + 1 :]


@lru_cache(maxsize=1 << 16)
def relative_path(target: str, start: str) -> str:
    """``posixpath.relpath(target, start)`` for two paths relative to one directory
    (``start`` empty means that directory), without asking for the working directory."""
    to = target.split("/")
    base = start.split("/") if start and start != "." else []
    if any(part in ("", ".", "..") for part in (*to, *base)):
        return relpath(target, start or ".")  # not normalised: the slow, general way
    common = 0
    for mine, theirs in zip(to, base, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


_LAYOUTS = {
    "plain": Layout("plain", "posts", "posts", "", "index.md", "assets", None),
    "obsidian": Layout("obsidian", "posts", "posts", "", "index.md", "assets", None),
    "hugo": Layout(
        "hugo",
        "content/posts",
        "content/posts",
        "content",
        "_index.md",
        "static/images",
        "/images/",
    ),
    "jekyll": Layout(
        "jekyll", "_posts", "undated", "", "index.md", "assets/images", "/assets/images/"
    ),
}


def layout_for(flavor: Flavor) -> Layout:
    return _LAYOUTS[flavor]


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ord(ch) >= 0x20 else f"\\u{ord(ch):04x}" for ch in escaped) + '"'


_HUGO_BASEOF = """<!doctype html>
<html lang="{{ site.LanguageCode | default "en" }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

_HUGO_SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.source_url }}<p class="source"><a href="{{ . }}">Original</a></p>{{ end }}
{{ .Content }}
</article>
{{ end }}
"""

_HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ end }}
"""

# Arguments arrive HTML-escaped (see product_card); Go templates escape on output again.
_HUGO_PRODUCT = """{{- $name := .Get "name" | default "" | htmlUnescape -}}
{{- $price := .Get "price" | default "" | htmlUnescape -}}
{{- $currency := .Get "currency" | default "" | htmlUnescape -}}
{{- $url := .Get "url" | default "" | htmlUnescape -}}
{{- $cta := .Get "cta" | default "View product" | htmlUnescape -}}
<div class="product">
<strong>{{ $name }}</strong>
{{- with $price }} <span class="price">{{ . }}{{ with $currency }} {{ . }}{{ end }}</span>{{ end }}
{{- with $url }} <a href="{{ . }}">{{ $cta }}</a>{{ end }}
</div>
"""

# Relative links to other .md files of the export become the target page's URL.
_HUGO_RENDER_LINK = """{{- $u := urls.Parse .Destination -}}
{{- $href := .Destination -}}
{{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path ".md") -}}
{{- with site.GetPage (path.Join "/" .Page.File.Dir $u.Path) -}}
{{- $href = .RelPermalink -}}{{ with $u.Fragment }}{{ $href = printf "%s#%s" $href . }}{{ end }}
{{- end -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>
{{- .Text | safeHTML -}}
</a>"""

_JEKYLL_DEFAULT = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>{{ page.title }} | {{ site.title }}</title></head>
<body>
<header><a href="{{ "/" | relative_url }}">{{ site.title }}</a></header>
<main>
<h1>{{ page.title }}</h1>
{{ content }}
</main>
</body>
</html>
"""


def site_files(layout: Layout, host: str) -> dict[str, str]:
    """Extra files a flavor needs so its static-site generator builds the export."""
    if layout.flavor == "hugo":
        config = "\n".join(
            [
                'baseURL = "/"',
                f"title = {_toml_string(host)}",
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]',
                "",
                "[frontmatter]",
                'lastmod = ["updated", ":default"]',
                "",
            ]
        )
        return {
            "hugo.toml": config,
            "layouts/_default/baseof.html": _HUGO_BASEOF,
            "layouts/_default/single.html": _HUGO_SINGLE,
            "layouts/_default/list.html": _HUGO_LIST,
            "layouts/_default/_markup/render-link.html": _HUGO_RENDER_LINK,
            "layouts/shortcodes/product.html": _HUGO_PRODUCT,
        }
    if layout.flavor == "jekyll":
        jekyll: dict[str, YamlValue] = {
            "title": host,
            "markdown": "kramdown",
            "plugins": ["jekyll-relative-links"],
            "relative_links": {"enabled": True, "collections": True},
            "defaults": [
                {"scope": {"path": "", "type": "posts"}, "values": {"layout": "post"}},
                {"scope": {"path": ""}, "values": {"layout": "default"}},
            ],
        }
        return {
            "_config.yml": dump_yaml(jekyll),
            "_layouts/default.html": _JEKYLL_DEFAULT,
            "_layouts/post.html": "---\nlayout: default\n---\n{{ content }}\n",
        }
    return {}
