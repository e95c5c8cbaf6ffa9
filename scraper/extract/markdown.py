"""DOM to CommonMark and plain text, block by block, in one walk of the body.

The walk produces :class:`Block` objects (paragraphs, headings, lists, quotes, code,
tables, images) and, on the way, the links and images of the body. Nodes listed in
``specials`` (link cards, product cards) are replaced by a ready-made block, and
nodes in ``skip`` are left out.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from ..model import Image
from ._blocks import Block, LinkRef, Rendered, Special, escape, tidy
from ._document import absolute
from ._images import caption, caption_index, image_src
from ._walk import css, css_first

__all__ = ["Block", "LinkRef", "Rendered", "Special", "render"]

_WS = re.compile(r"\s+")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s)")
_SKIP_TAGS = frozenset(
    "script style noscript template svg iframe button input select textarea head "
    "canvas video audio object embed map link meta title option label dialog".split()
)
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strike "
    "strong sub sup time tt u var wbr br img nobr big ins del picture source".split()
)
_URL_SPECIAL = re.compile(r"[\s()<>]")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
MAX_DEPTH = 180
_LAYOUT_TABLE = ", ".join(
    f"{cell} {inner}"
    for cell in ("td", "th")
    for inner in ("table", "p", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote", "pre", "div div")
)


def _framed_image(table: LexborNode) -> bool:
    """A one-column table around an image: the frame-and-caption layout (Blogger's
    ``tr-caption-container``, old WordPress and forum themes), not tabular data."""
    if css_first(table, "img") is None:
        return False
    return all(sum(1 for c in tr.iter() if c.tag in ("td", "th")) <= 1 for tr in css(table, "tr"))


def _pre_text(node: LexborNode) -> str:
    """The text of a ``<pre>``, with each ``<br>`` a line break (Medium and some editors
    write code lines as ``<br>``-separated runs, not newlines)."""
    if css_first(node, "br") is None:
        return node.text(deep=True)
    parts: list[str] = []
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag == "br":
            parts.append("\n")
    return "".join(parts)


class _Renderer:
    def __init__(
        self,
        base_url: str,
        specials: dict[int, Special],
        skip: set[int],
        keep_images: bool,
        quiet: set[int],
    ) -> None:
        self.base_url = base_url
        self.specials = specials
        self.skip = skip
        self.quiet = quiet
        self.mute = 0
        self.keep_images = keep_images
        self.out = Rendered()
        self.blocks = self.out.blocks
        self.md: list[str] = []
        self.tx: list[str] = []
        self.pending: list[LinkRef] = []
        self.capturing = 0
        self.seen_images: set[str] = set()
        self.captions: dict[int, LexborNode] | None = None
        self.root: LexborNode | None = None  # the node being rendered
        self.resolved: dict[str, str | None] = {}

    # -- buffers -------------------------------------------------------------
    def add_block(self, block: Block) -> None:
        if self.mute:
            block.text = ""
        self.blocks.append(block)
        if not self.capturing:
            index = len(self.out.blocks) - 1
            for link in self.pending:
                link.block = index
            self.out.links.extend(self.pending)
            self.pending.clear()

    def flush(self) -> None:
        if not self.md:
            return
        md = "".join(self.md)
        tx = "".join(self.tx)
        self.md.clear()
        self.tx.clear()
        md = tidy(md)
        tx = tidy(tx)
        if not md.replace("\\", "").strip():
            return
        if _LINE_START.match(md) is not None:
            md = _LINE_START.sub(r"\1\\\2", md)
        self.add_block(Block(md, tx))

    def capture(self, node: LexborNode, depth: int) -> list[Block]:
        saved_blocks, saved_md, saved_tx = self.blocks, self.md, self.tx
        self.blocks, self.md, self.tx = [], [], []
        self.capturing += 1
        try:
            self.block(node, depth)
            self.flush()
            return self.blocks
        finally:
            self.capturing -= 1
            self.blocks, self.md, self.tx = saved_blocks, saved_md, saved_tx

    def capture_inline(self, node: LexborNode, depth: int) -> tuple[str, str]:
        saved_md, saved_tx = self.md, self.tx
        self.md, self.tx = [], []
        try:
            self.inline_children(node, depth)
            return "".join(self.md), "".join(self.tx)
        finally:
            self.md, self.tx = saved_md, saved_tx

    # -- block context -------------------------------------------------------
    def block(self, node: LexborNode, depth: int) -> None:
        if depth > MAX_DEPTH:
            text = _WS.sub(" ", node.text(deep=True, separator=" "))
            self.md.append(escape(text))
            self.tx.append(text)
            return
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                value = child.text_content
                if value:
                    if value.isspace():  # (most text nodes: the indentation between tags)
                        self.md.append(" ")
                        self.tx.append(" ")
                        continue
                    if "\n" in value:  # (white space runs are collapsed by tidy())
                        value = value.replace("\n", " ")
                    self.md.append(escape(value))
                    self.tx.append(value)
                continue
            if tag in _SKIP_TAGS or tag is None or tag.startswith("-"):
                continue
            mem = child.mem_id
            if mem in self.skip:
                continue
            special = self.specials.get(mem)
            if special is not None:
                self.flush()
                if special.link is not None:
                    self.pending.append(LinkRef(special.link[0], special.link[1], "card"))
                self.add_block(Block(special.markdown, special.text))
                continue
            if mem in self.quiet:  # shown in the Markdown, left out of the text
                if tag in _INLINE_TAGS:
                    self.md.append(self.capture_inline(child, depth + 1)[0])
                    continue
                self.flush()
                self.mute += 1
                try:
                    self.block(child, depth + 1)
                    self.flush()
                finally:
                    self.mute -= 1
                continue
            if tag in _INLINE_TAGS:
                self.inline_element(child, tag, depth + 1)
                continue
            level = _HEADINGS.get(tag)
            if level is not None:
                self.flush()
                md, tx = self.capture_inline(child, depth + 1)
                tx = " ".join(tx.split())
                md = " ".join(md.split())
                if tx:
                    self.add_block(Block(f"{'#' * level} {md}", tx, level))
                continue
            self.flush()
            if tag == "p":
                self.inline_children(child, depth + 1)
                self.flush()
            elif tag in ("ul", "ol"):
                self.list_block(child, tag == "ol", depth + 1)
            elif tag == "blockquote":
                self.quote_block(child, depth + 1)
            elif tag == "pre":
                self.code_block(child)
            elif tag == "table":
                self.table_block(child, depth + 1)
            elif tag == "hr":
                continue
            else:
                self.block(child, depth + 1)
                self.flush()

    def list_block(self, node: LexborNode, ordered: bool, depth: int) -> None:
        number = 1
        start = node.attributes.get("start")
        if ordered and start and start.isdigit():
            number = int(start)
        md_lines: list[str] = []
        tx_lines: list[str] = []
        for child in node.iter():
            if child.tag not in ("li", "ul", "ol") or child.mem_id in self.skip:
                continue
            special = self.specials.get(child.mem_id)
            if special is not None:
                if special.link is not None:
                    self.pending.append(LinkRef(special.link[0], special.link[1], "card"))
                blocks = [Block(special.markdown, special.text)]
            else:
                blocks = self.capture(child, depth + 1)
            if not blocks:
                continue
            if child.tag != "li":
                md_lines.extend("   " + line for b in blocks for line in b.markdown.split("\n"))
                tx_lines.extend(b.text for b in blocks)
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            pad = " " * len(marker)
            item = "\n".join(b.markdown for b in blocks).split("\n")
            md_lines.append(marker + item[0])
            md_lines.extend((pad + line) if line else "" for line in item[1:])
            tx_lines.append("\n".join(b.text for b in blocks))
        if md_lines:
            self.add_block(Block("\n".join(md_lines), "\n".join(tx_lines)))

    def quote_block(self, node: LexborNode, depth: int) -> None:
        blocks = self.capture(node, depth)
        if not blocks:
            return
        body = "\n\n".join(b.markdown for b in blocks)
        md = "\n".join(("> " + line) if line else ">" for line in body.split("\n"))
        self.add_block(Block(md, "\n\n".join(b.text for b in blocks)))

    def code_block(self, node: LexborNode) -> None:
        text = _pre_text(node).strip("\n")
        if not text.strip():
            return
        fence = "````" if "```" in text else "```"
        language = ""
        code = css_first(node, "code[class]")
        if code is not None:
            m = re.search(r"(?:language|lang)-([\w+#.-]+)", code.attributes.get("class") or "")
            language = m.group(1) if m else ""
        self.add_block(Block(f"{fence}{language}\n{text}\n{fence}", text))

    def table_block(self, node: LexborNode, depth: int) -> None:
        if css_first(node, _LAYOUT_TABLE) is not None or _framed_image(node):
            self.block(node, depth)  # a layout table
            self.flush()
            return
        rows: list[list[tuple[str, str]]] = []
        for tr in css(node, "tr"):
            cells = []
            for cell in tr.iter():
                if cell.tag in ("td", "th"):
                    md, tx = self.capture_inline(cell, depth + 1)
                    cells.append((" ".join(md.split()), " ".join(tx.split())))
            if any(tx for _, tx in cells):
                rows.append(cells)
        if not rows:
            return
        width = max(len(r) for r in rows)
        md_rows = []
        for i, row in enumerate(rows):
            cells_md = [md.replace("\n", " ") for md, _ in row] + [""] * (width - len(row))
            md_rows.append("| " + " | ".join(cells_md) + " |")
            if i == 0:
                md_rows.append("|" + " --- |" * width)
        text = "\n".join(" ".join(tx for _, tx in row if tx) for row in rows)
        self.add_block(Block("\n".join(md_rows), text))

    # -- inline context ------------------------------------------------------
    def inline_children(self, node: LexborNode, depth: int) -> None:
        if depth > MAX_DEPTH:
            text = _WS.sub(" ", node.text(deep=True, separator=" "))
            self.md.append(escape(text))
            self.tx.append(text)
            return
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                value = child.text_content
                if value:
                    if value.isspace():
                        self.md.append(" ")
                        self.tx.append(" ")
                        continue
                    if "\n" in value:  # (white space runs are collapsed by tidy())
                        value = value.replace("\n", " ")
                    self.md.append(escape(value))
                    self.tx.append(value)
            elif tag and not tag.startswith("-") and tag not in _SKIP_TAGS:
                if child.mem_id in self.skip:
                    continue
                special = self.specials.get(child.mem_id)
                if special is not None:  # a card inside a paragraph: its own block
                    self.flush()
                    if special.link is not None:
                        self.pending.append(LinkRef(special.link[0], special.link[1], "card"))
                    self.add_block(Block(special.markdown, special.text))
                    continue
                if child.mem_id in self.quiet:
                    self.md.append(self.capture_inline(child, depth + 1)[0])
                    continue
                self.inline_element(child, tag, depth + 1)

    def inline_element(self, node: LexborNode, tag: str, depth: int) -> None:
        if tag == "br":
            self.md.append("\\\n")
            self.tx.append("\n")
        elif tag == "img":
            self.image(node)
        elif tag == "a":
            self.link(node, depth)
        elif tag in ("strong", "b", "em", "i"):
            md, tx = self.capture_inline(node, depth)
            core = md.strip()
            if not core or not tx.strip():
                self.md.append(md)
                self.tx.append(tx)
                return
            mark = "**" if tag in ("strong", "b") else "*"
            lead = " " if md[:1].isspace() else ""
            trail = " " if md[-1:].isspace() else ""
            if "\n" in core or core.startswith(("**", "*")):
                self.md.append(md)
            else:
                self.md.append(f"{lead}{mark}{core}{mark}{trail}")
            self.tx.append(tx)
        elif tag in ("code", "kbd", "samp", "tt"):
            text = _WS.sub(" ", node.text(deep=True))
            if text.strip():
                tick = "``" if "`" in text else "`"
                self.md.append(f"{tick}{text.strip()}{tick}")
                self.tx.append(text)
        else:
            self.inline_children(node, depth)

    def absolute(self, href: str | None) -> str | None:
        if href is None:
            return None
        if href not in self.resolved:  # pages repeat the same links many times
            self.resolved[href] = absolute(self.base_url, href)
        return self.resolved[href]

    def link(self, node: LexborNode, depth: int) -> None:
        href = self.absolute(node.attributes.get("href"))
        md, tx = self.capture_inline(node, depth)
        text = " ".join(tx.split())
        core = md.strip()
        if not core:
            return
        if href is None or "\n" in core:
            self.md.append(md)
            self.tx.append(tx)
            return
        shown = href if not _URL_SPECIAL.search(href) else f"<{href.replace('>', '%3E')}>"
        lead = " " if md[:1].isspace() else ""
        trail = " " if md[-1:].isspace() else ""
        self.md.append(f"{lead}[{core}]({shown}){trail}")
        self.tx.append(tx)
        if text:
            self.pending.append(LinkRef(text, href, "inline"))

    def image(self, node: LexborNode) -> None:
        if not self.keep_images:
            return
        attrs = node.attributes
        if attrs.get("width") in ("0", "1") or attrs.get("height") in ("0", "1"):
            return
        src = absolute(self.base_url, image_src(node))
        if src is None:
            return
        alt = " ".join((attrs.get("alt") or "").split())
        if src not in self.seen_images:
            self.seen_images.add(src)
            if self.captions is None:
                self.captions = caption_index(self.root or node)
            self.out.images.append(Image(src, alt or None, caption(node, self.captions)))
        self.md.append(f"![{escape(alt)}]({src if ' ' not in src else '<' + src + '>'})")


def render(
    node: LexborNode,
    base_url: str,
    specials: dict[int, Special] | None = None,
    skip: set[int] | None = None,
    keep_images: bool = True,
    quiet: set[int] | None = None,
) -> Rendered:
    """Render ``node``'s content to blocks; links carry the index of their block.

    Nodes in ``quiet`` (image captions on news pages) appear in the Markdown only.
    """
    renderer = _Renderer(base_url, specials or {}, skip or set(), keep_images, quiet or set())
    renderer.root = node
    renderer.block(node, 0)
    renderer.flush()
    out = renderer.out
    for link in renderer.pending:
        link.block = max(0, len(out.blocks) - 1)
    out.links.extend(renderer.pending)
    return out
