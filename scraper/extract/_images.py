"""Images in a rendered body: the real source of a (lazy-loaded) ``<img>`` and the caption
of the figure or image block that holds only that image."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ._walk import css

__all__ = ["caption", "caption_index", "image_src", "promote_noscript_images"]

_WS = re.compile(r"\s+")


def image_src(node: LexborNode) -> str | None:
    attrs = node.attributes
    for key in ("data-src", "data-lazy-src", "data-original", "src", "data-pin-media"):
        value = attrs.get(key)
        if value and not value.startswith("data:"):
            return value
    srcset = attrs.get("srcset") or attrs.get("data-srcset")
    if srcset:
        return _first_candidate(srcset)
    parent = node.parent  # <picture><source srcset=...><img alt=...></picture> (Medium)
    if parent is not None and parent.tag == "picture":
        for source in parent.iter():
            if source.tag == "source":
                found = source.attributes.get("srcset") or source.attributes.get("data-srcset")
                if found and _first_candidate(found):
                    return _first_candidate(found)
    return None


def _in_body(node: LexborNode, body: int) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == body:
            return True
        parent = parent.parent
    return False


def promote_noscript_images(tree: LexborHTMLParser) -> None:
    """Lazy-loading markup keeps the real image in ``<noscript>`` next to a blurred
    placeholder (Medium's ``max/44/...?q=20``) or an empty ``<img>``: the noscript's image
    takes their place in the body (noscripts are otherwise dropped as never content)."""
    body = tree.body
    if body is None:
        return
    # (the document's list of one tag costs a fifth of a selector pass over the body)
    boxes = [box for box in tree.tags("noscript") if _in_body(box, body.mem_id)]
    for box in boxes:
        images = css(box, "img")
        if len(images) != 1:
            continue
        real = image_src(images[0])
        if real is None or images[0].attributes.get("width") in ("0", "1"):
            continue  # (a tracking pixel)
        key = _file_key(real)
        scope = box.parent
        if scope is None:
            continue
        count = len(css(scope, "img"))
        for _ in range(4):  # the figure (or image block) around placeholder and noscript
            up = scope.parent
            if scope.tag == "figure" or up is None:
                break
            if up.tag in ("body", "article", "main", "section"):
                break
            above = len(css(up, "img"))
            if above > count + 1:
                break  # a parent holding other images: not this image's block
            scope, count = up, above
        keep = images[0].mem_id
        twins = []  # the placeholder, an empty <img> or a lazy copy of the same file
        for img in css(scope, "img"):
            if img.mem_id != keep:
                src = image_src(img)
                if src is None or _file_key(src) == key:
                    twins.append(img)
        if not twins:
            continue  # a noscript-only image (an ad server's fallback): not the post's
        for img in twins:
            img.decompose()
        box.unwrap()


def _file_key(src: str) -> str:
    """The last path segment of an image URL, without its query (Medium serves one file
    under several sizes: ``/max/44/1*abc.png?q=20`` and ``/max/796/1*abc.png``)."""
    return src.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _first_candidate(srcset: str) -> str | None:
    first = srcset.strip().split(",")[0].strip().split(" ")[0]
    return first if first and not first.startswith("data:") else None


_CAPTION = (
    'figcaption, [data-hook="imageViewerCaption"], .wp-caption-text, .image-caption, '
    ".image-caption-wrapper, .tr-caption"
)


_CAPTION_STOP = ("body", "article", "main")


def caption_index(root: LexborNode) -> dict[int, LexborNode]:
    """What ``css_first(element, _CAPTION)`` returns, for every element :func:`_caption` may
    ask about while rendering ``root``: one selector pass instead of one per image ancestor.

    ``_caption`` looks at most five levels above an image inside ``root`` and never at or
    above a body/article/main element, so the pass covers ``root``'s subtree from at most
    four levels up.
    """
    top = root
    for _ in range(4):
        up = top.parent
        if up is None or up.tag in _CAPTION_STOP or up.tag == "-document":
            break
        top = up
    first: dict[int, LexborNode] = {}
    for caption in css(top, _CAPTION):  # document order
        current: LexborNode | None = caption
        while current is not None:
            mem = current.mem_id
            if mem in first:
                break  # (an earlier caption already claimed this one and all above it)
            first[mem] = caption
            if mem == top.mem_id:
                break
            current = current.parent
    return first


def caption(node: LexborNode, captions: dict[int, LexborNode]) -> str | None:
    """The caption of the figure (or Wix/WordPress image block) holding only this image."""
    parent = node.parent
    for _ in range(5):
        if parent is None or parent.tag in ("body", "article", "main"):
            return None
        found = captions.get(parent.mem_id)
        if found is not None:
            text = _WS.sub(" ", found.text(deep=True, separator=" ")).strip()
            whole = _WS.sub(" ", parent.text(deep=True, separator=" ")).strip()
            # Only a block that holds just this image and its caption.
            if len(css(parent, "img")) > 1 or len(whole) - len(text) > 5:
                return None
            return text or None
        if parent.tag == "figure":
            return None
        parent = parent.parent
    return None
