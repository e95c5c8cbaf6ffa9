"""Markdown text helpers: escaping, and rewriting link destinations outside code.

:func:`rewrite_links` walks inline links ``[text](dest "title")``, images
``![alt](src)``, reference definitions ``[id]: dest`` and autolinks ``<url>``,
skipping fenced code blocks and code spans, and lets a callback replace each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Link",
    "escape_inline",
    "image_sources",
    "neutralize_hugo_shortcodes",
    "normalize_newlines",
    "rewrite_links",
]

_ESCAPE = re.compile(r"([\\`*_\[\]<>!&|~#{}])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).*?(?<!`)\1(?!`)", re.S)
_BRACKET = r"(?:[^\[\]\\\n]|\\.|\[(?:[^\[\]\\\n]|\\.)*\])*"
# Matched at each "[" found with str.find: much faster than a regex search, which
# would try the pattern at every position of the text.
_INLINE = re.compile(r"\[(" + _BRACKET + r")\]\(")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<(https?://[^>\s<]+)>", re.I)
_LINK_TAIL = re.compile(r"[ \t]*(?:\n[ \t]*)?(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')?[ \t]*\)")
_SIMPLE_DEST = re.compile(r"[^\s()\\]*")
_SHORTCODE = re.compile(r"\{\{([<%])(.*?)([>%])\}\}", re.S)


@dataclass(frozen=True, slots=True)
class Link:
    """One link found in Markdown. ``kind`` is inline, image, reference or autolink."""

    kind: str
    text: str
    dest: str


#: Gets a link, returns the Markdown to put in its place, or None to keep it.
Rewriter = Callable[[Link], str | None]


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group(1)


def escape_inline(text: str) -> str:
    """Plain text made literal inside Markdown inline content (one line)."""
    text = " ".join(text.split())  # str.split() also splits at "\r" and "\n"
    return _ESCAPE.sub(_backslashed, text) if _ESCAPE.search(text) else text


def _segments(text: str) -> list[tuple[bool, str]]:
    """Split into (is_code, chunk) parts: fenced blocks and code spans are code.

    Joining the chunks gives ``text`` back unchanged.
    """
    if "`" not in text and "~~~" not in text:
        return [(False, text)] if text else []
    blocks: list[tuple[bool, str]] = []
    prose: list[str] = []
    fence: list[str] = []
    marker = ""
    for line in re.findall(r"[^\n]*\n|[^\n]+", text):
        if not marker:
            match = _FENCE.match(line)
            if match is None:
                prose.append(line)
                continue
            blocks.append((False, "".join(prose)))
            prose, fence, marker = [], [line], match.group(1)
            continue
        fence.append(line)
        stripped = line.strip()
        if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
            blocks.append((True, "".join(fence)))
            fence, marker = [], ""
    if marker:  # an unclosed fence runs to the end of the document
        blocks.append((True, "".join(fence)))
    blocks.append((False, "".join(prose)))
    out: list[tuple[bool, str]] = []
    for is_code, chunk in blocks:
        if is_code:
            out.append((True, chunk))
            continue
        last = 0
        for span in _CODE_SPAN.finditer(chunk):
            out.append((False, chunk[last : span.start()]))
            out.append((True, span.group(0)))
            last = span.end()
        out.append((False, chunk[last:]))
    return [part for part in out if part[1]]


def _destination(text: str, start: int) -> tuple[str, int, int] | None:
    """Parse an inline link's destination at ``start`` (just after ``(``).

    Returns (dest, dest_start, dest_end) in ``text``; None when it is not a link.
    """
    pos = start
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos < len(text) and text[pos] == "<":
        end = text.find(">", pos)
        if end == -1 or "\n" in text[pos:end]:
            return None
        return text[pos + 1 : end], pos, end + 1
    simple = _SIMPLE_DEST.match(text, pos)
    end = simple.end() if simple else pos
    if end >= len(text) or text[end] not in "(\\":
        return text[pos:end], pos, end
    depth = 0
    while end < len(text):
        ch = text[end]
        if ch == "\\" and end + 1 < len(text):
            end += 2
            continue
        if ch.isspace():
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    return text[pos:end], pos, end


def _link_end(text: str, pos: int) -> int | None:
    """Index just past the closing ``)`` of a link whose destination ends at ``pos``."""
    match = _LINK_TAIL.match(text, pos)
    return match.end() if match else None


def _next_inline(text: str, pos: int) -> tuple[int, bool, re.Match[str]] | None:
    """The first ``[label](`` or ``![alt](`` at or after ``pos``: its start, whether it
    is an image, and the match of ``[label](``."""
    at = text.find("[", pos)
    while at != -1:
        match = _INLINE.match(text, at)
        if match is not None:
            image = at > pos and text[at - 1] == "!"
            return (at - 1 if image else at), image, match
        at = text.find("[", at + 1)
    return None


def _rewrite_prose(text: str, rewrite: Rewriter) -> str:
    if "](" not in text and "]:" not in text and "<" not in text:
        return text
    out: list[str] = []
    pos = 0
    inline = "](" in text
    while inline:
        found = _next_inline(text, pos)
        if found is None:
            break
        start, image, match = found
        parsed = _destination(text, match.end())
        end = _link_end(text, parsed[2]) if parsed else None
        if parsed is None or end is None:
            out.append(text[pos : match.end()])
            pos = match.end()
            continue
        dest, dest_start, dest_end = parsed
        opener = "![" if image else "["
        inner = match.group(1) if image else _rewrite_prose(match.group(1), rewrite)
        replaced = rewrite(Link("image" if image else "inline", inner, dest))
        out.append(text[pos:start])
        if replaced is None:
            out.append(opener + inner + "](" + text[match.end() : end])
        elif replaced.startswith(("[[", "![[")):
            out.append(replaced)  # a wikilink replaces the whole link
        else:
            out.append(opener + inner)
            out.append(text[match.end(1) : dest_start] + replaced + text[dest_end:end])
        pos = end
    out.append(text[pos:])
    text = "".join(out)

    def _ref(match: re.Match[str]) -> str:
        dest = match.group(2)
        dest = dest[1:-1] if dest.startswith("<") else dest
        replaced = rewrite(Link("reference", "", dest))
        if replaced is None or replaced.startswith("[["):
            return match.group(0)
        return match.group(1) + replaced

    def _auto(match: re.Match[str]) -> str:
        replaced = rewrite(Link("autolink", match.group(1), match.group(1)))
        if replaced is None:
            return match.group(0)
        if replaced.startswith("[["):
            return replaced
        return f"[{escape_inline(match.group(1))}]({replaced})"

    if "]:" in text:
        text = _REF_DEF.sub(_ref, text)
    return _AUTOLINK.sub(_auto, text) if "<" in text else text


def rewrite_links(markdown: str, rewrite: Rewriter) -> str:
    """``markdown`` with each link outside code passed through ``rewrite``.

    For inline links, images and reference definitions the callback returns a new
    destination; a return value starting with ``[[`` (a wikilink) replaces the
    whole link instead.
    """
    return "".join(
        chunk if is_code else _rewrite_prose(chunk, rewrite)
        for is_code, chunk in _segments(markdown)
    )


def image_sources(markdown: str) -> list[str]:
    """Destinations of the images in ``markdown`` (outside code), in order."""
    found: list[str] = []

    def _collect(link: Link) -> None:
        if link.kind == "image":
            found.append(link.dest)

    rewrite_links(markdown, _collect)
    return found


def neutralize_hugo_shortcodes(markdown: str) -> str:
    """Make ``{{< x >}}`` / ``{{% x %}}`` in post text print literally under Hugo."""
    text = _SHORTCODE.sub(
        lambda m: "{{" + m.group(1) + "/*" + m.group(2) + "*/" + m.group(3) + "}}", markdown
    )
    # An opener without a closer would abort the build: break it apart.
    return re.sub(r"\{\{(?=[<%])(?!<\/\*|%\/\*)", "{&#123;", text)
