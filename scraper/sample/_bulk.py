"""The inline CSS/JS bulk a Wix page carries before its SEO tags (deterministic filler).

Real Wix pages hold 0.5-1 MB of it; ours is a few tens of KB, enough that the title, JSON-LD and
post markup sit well past the first kilobytes of the file.
"""

from __future__ import annotations

import hashlib
import json

from ._markup import hashed_class

__all__ = ["wix_body_scripts", "wix_head_bulk"]

_CSS_RULES = 420
_COMPONENTS = 160


def _hex(*parts: str, length: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode("utf-8")).hexdigest()[:length]


def _viewer_model(page_id: str, request_url: str, site_name: str) -> str:
    model = {
        "requestUrl": request_url,
        "siteFeatures": [
            "assetsLoader",
            "businessLogger",
            "clickHandlerRegistrar",
            "componentsLoader",
            "consentPolicy",
            "cookiesManager",
            "dynamicPages",
            "fedops",
            "navigation",
            "ooi",
            "pageScroll",
            "platform",
            "renderer",
            "router",
            "seo",
            "tpa",
            "wixEmbedsApi",
        ],
        "site": {
            "metaSiteId": _hex("meta", site_name, length=32),
            "siteDisplayName": site_name,
            "pageId": page_id,
            "isResponsive": False,
        },
        "fleetConfig": {"fleetName": "wix-thunderbolt", "type": "GA", "code": 0},
        "staticsBase": "https://static.parastorage.com/services/wix-thunderbolt/dist/",
        "blogApp": {
            "appDefinitionId": "14bcded7-0066-7c35-14d7-466cb3f09103",
            "widgetsBase": "https://static.parastorage.com/services/communities-blog-ooi/1.2541.0/",
        },
    }
    return json.dumps(model, separators=(",", ":"), sort_keys=True)


def _css(page_id: str) -> str:
    rules = []
    for i in range(_CSS_RULES):
        cls = hashed_class("css", str(i))
        colour = _hex("colour", str(i), length=6)
        rules.append(
            f".{cls}{{--rd:{i % 17}px;color:#{colour};margin:0 {i % 9}px;"
            f"transition:opacity .{i % 7 + 1}s ease-in-out}}"
        )
    return f'<style id="css_{page_id}">\n' + "\n".join(rules) + "\n</style>"


def _components(page_id: str) -> str:
    entries = {
        f"comp-{_hex('comp', page_id, str(i), length=8)}": {
            "componentType": ("WRichText", "VectorImage", "Container", "MeshGroup", "TPAWidget")[
                i % 5
            ],
            "skin": f"skin-{hashed_class('skin', str(i))}",
            "bundle": f"{_hex('bundle', str(i))}.bundle.min.js",
        }
        for i in range(_COMPONENTS)
    }
    payload = json.dumps(entries, separators=(",", ":"), sort_keys=True)
    return (
        '<script type="application/json" id="registry-components-manifests">'
        + payload
        + "</script>\n<script>\n"
        "  window.componentsRegistry = window.componentsRegistry || {};\n"
        "  window.componentsRegistry.runtime = JSON.parse("
        "document.getElementById('registry-components-manifests').textContent);\n"
        "</script>"
    )


def wix_head_bulk(page_id: str, request_url: str, site_name: str) -> str:
    """Script and style blocks that go between the generator meta tag and ``<title>``."""
    model = _viewer_model(page_id, request_url, site_name)
    return "\n".join(
        [
            '<script type="application/json" id="wix-essential-viewer-model">'
            + model
            + "</script>",
            "<script>\n"
            "  window.fedops = window.fedops || {};\n"
            "  window.fedops.apps = window.fedops.apps || {};\n"
            "  window.fedops.phaseMark = function (name) {"
            " (window.fedops.phases = window.fedops.phases || []).push([name, Date.now()]); };\n"
            "  window.viewerModel = JSON.parse("
            "document.getElementById('wix-essential-viewer-model').textContent);\n"
            "</script>",
            _css(page_id),
            _components(page_id),
        ]
    )


def wix_body_scripts(page_id: str) -> str:
    """The SSR bookkeeping script at the top of a Wix ``<body>``."""
    return (
        '<script type="text/javascript">\n'
        "    var bodyCacheable = true;\n"
        '    var exclusionReason = {"shouldRender":true,"forced":false};\n'
        f'    var ssrInfo = {{"renderBodyTime":{int(_hex("t", page_id, length=3), 16) % 900},'
        f'"pageId":"{page_id}"}};\n'
        "</script>"
    )
