"""A small YAML emitter for front matter and config files.

Every string is double-quoted and escaped, so any title survives and
``yaml.safe_load`` gives back exactly the values written. Keys keep the order
given (callers pass them in a fixed order), which keeps output deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TypeAlias

__all__ = ["YamlValue", "dump_yaml", "front_matter", "quote"]

YamlValue: TypeAlias = "str | int | bool | None | Sequence[YamlValue] | Mapping[str, YamlValue]"

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\0": "\\0",
    "\t": "\\t",
    "\n": "\\n",
    "\r": "\\r",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\uFEFF",
}
# Everything YAML 1.1 (PyYAML, go-yaml, Psych) would not read back verbatim
# inside a double-quoted scalar: the characters above plus the non-printables.
_NEEDS_ESCAPE = re.compile(
    '[\\\\"\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff]'
)
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def quote(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


@lru_cache(maxsize=1024)
def _key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) else quote(key)


def _scalar(value: YamlValue) -> str | None:
    if type(value) is str:  # exact types first: most values are plain str, bool or int
        return quote(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if type(value) in (list, tuple) or isinstance(value, Sequence):
        return None if value else "[]"
    if isinstance(value, Mapping) and not value:
        return "{}"
    return None


def _lines(value: YamlValue, indent: int) -> list[str]:
    """Block lines for a non-empty list or mapping, at ``indent`` spaces."""
    pad = " " * indent
    out: list[str] = []
    if type(value) is dict or isinstance(value, Mapping):
        for key, item in value.items():
            scalar = _scalar(item)
            if scalar is not None:
                out.append(f"{pad}{_key(key)}: {scalar}")
            else:
                out.append(f"{pad}{_key(key)}:")
                out.extend(_lines(item, indent + 2))
        return out
    assert isinstance(value, Sequence) and not isinstance(value, str)
    for item in value:
        scalar = _scalar(item)
        if scalar is not None:
            out.append(f"{pad}- {scalar}")
            continue
        nested = _lines(item, indent + 2)
        out.append(f"{pad}- {nested[0].lstrip()}")
        out.extend(nested[1:])
    return out


def dump_yaml(data: Mapping[str, YamlValue]) -> str:
    """A YAML document (no markers) for ``data``; ends with a newline."""
    lines = _lines(data, 0)
    return "\n".join(lines) + "\n" if lines else "{}\n"


def front_matter(data: Mapping[str, YamlValue]) -> str:
    """``data`` between ``---`` lines, ready to open a Markdown file."""
    return f"---\n{dump_yaml(data)}---\n"
