"""Database URLs as they may be shown: the password hidden. SQLAlchemy is imported only when a URL is masked."""

from __future__ import annotations


def mask_url(url: str) -> str:
    """``url`` safe to print: the password, if any, as ``***``."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not a URL SQLAlchemy reads: hide whatever stands between "user:" and "@"
        head, sep, tail = url.rpartition("@")
        scheme, colon, userinfo = head.partition("://")
        if not sep or not colon or ":" not in userinfo:
            return url
        return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{tail}"
