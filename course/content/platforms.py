"""The social platforms the course knows, and how to name them."""

from __future__ import annotations

from ..errors import UnknownPlatformError

__all__ = ["BANK_PLATFORMS", "PLATFORMS", "normalize_platform"]

#: The five platforms of the tag spec's main rules, which the post bank covers.
BANK_PLATFORMS: tuple[str, ...] = ("x", "facebook", "instagram", "linkedin", "pinterest")
#: Canonical platform ids, in display order: those five, then the three the spec accepts
#: as well (its "More platforms").
PLATFORMS: tuple[str, ...] = (*BANK_PLATFORMS, "threads", "tiktok", "youtube")

_ALIASES = {"twitter": "x"}


def normalize_platform(name: str | None) -> str | None:
    """Return the canonical id for ``name`` (case-insensitive; ``twitter`` means ``x``).

    ``None`` or a blank string means "no platform". Anything else unknown raises
    :class:`UnknownPlatformError` naming the accepted platforms.
    """
    if name is None:
        return None
    key = str(name).strip().lower()
    if not key:
        return None
    key = _ALIASES.get(key, key)
    if key not in PLATFORMS:
        accepted = ", ".join(PLATFORMS) + " (or twitter for x)"
        raise UnknownPlatformError(f"unknown platform {name!r}; accepted: {accepted}")
    return key
