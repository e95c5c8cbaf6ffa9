"""Settings as data: one table of names, defaults and help, layered
defaults < ``blogbinder.toml`` < environment (``BLOGBINDER_*``) < command-line flags.

The README documents every setting; ``tests/test_docs.py`` checks that it does.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError

__all__ = ["SETTINGS", "Setting", "load_settings"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "BLOGBINDER_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///blogbinder.db", "Database URL (SQLAlchemy form)."),
    Setting("concurrency", 2, "Requests in flight per host."),
    Setting("delay", 1.0, "Seconds between request starts per host (or robots Crawl-delay)."),
    Setting("timeout", 30.0, "Seconds before a request times out."),
    Setting("retries", 3, "Attempts per URL on timeouts, connection errors, 429 and 5xx."),
    Setting("max_bytes", 20_000_000, "Largest response body accepted, after decompression."),
    Setting("user_agent", "", "User-Agent header (default names blogbinder and its version)."),
    Setting("contact", "", "A contact URL or e-mail added to the User-Agent."),
    Setting("http2", True, "Speak HTTP/2 over https where the server offers it."),
    Setting("ca_file", "", "PEM file of CA certificates to trust instead of the default ones."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    kind = type(setting.default)
    try:
        if kind is bool:
            return str(value).lower() in ("1", "true", "yes", "on")
        return kind(value)
    except (TypeError, ValueError):
        message = f"{source}: {setting.name} must be a {kind.__name__}"
        raise UsageError(message, str(value)) from None


def load_settings(
    config: Path | None = None, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then the ``[settings]`` table of blogbinder.toml, then the environment."""
    values = {s.name: s.default for s in SETTINGS}
    path = config if config is not None else Path("blogbinder.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"cannot read config ({exc})", str(path)) from None
        table = data.get("settings", {})
        for key, value in table.items():
            if key not in _BY_NAME:
                raise UsageError(f"unknown setting {key!r} in config", str(path))
            values[key] = _coerce(_BY_NAME[key], value, str(path))
    environ = os.environ if env is None else env
    for setting in SETTINGS:
        if setting.env in environ:
            values[setting.name] = _coerce(setting, environ[setting.env], setting.env)
    return values
