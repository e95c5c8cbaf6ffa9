"""Imports every command module so that each registers itself on ``cli``."""

from __future__ import annotations

from . import cmd_extract

__all__ = ["cmd_extract"]
