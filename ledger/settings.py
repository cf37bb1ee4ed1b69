"""The ledger's own settings: who publishes its reviews, and where.

Settings live in the hash-chained history (``setting.set`` entries), not in a
table of their own: they travel with the ledger through ``export``/``import``
and ``ledger copy``, every change has its time and user in ``ledger log``, and
an edit behind the tool's back breaks the chain that ``ledger verify`` checks.
The newest entry for a key holds its value; a value of None unsets it.
"""

from __future__ import annotations

from difflib import get_close_matches
from urllib.parse import urlsplit

from ledger.errors import InputError

SETTINGS = {
    "reviewer.name": "The organisation that publishes the reviews (ClaimReview author), e.g. 'Example Fact Check'.",
    "reviewer.url": "Its home page, https://…",
    "review.url": "Where each claim's review is published, with {id} for the claim id: https://example.org/checks/{id}",
}
MAX_VALUE = 2_000


def check_key(key: str) -> str:
    if key not in SETTINGS:
        near = get_close_matches(key, SETTINGS, n=1, cutoff=0.4)
        raise InputError("KEY", key, "is not a setting", f"closest: {near[0]}" if near else "one of " + ", ".join(SETTINGS))
    return key


def check_setting(key: str, value: str) -> str:
    """The value as it will be kept, or an ``InputError`` naming what is wrong with it."""
    check_key(key)
    value = value.strip()
    if not value:
        raise InputError("VALUE", value, "is empty", f"to remove {key}, run `ledger setting unset {key}`")
    if len(value) > MAX_VALUE:
        raise InputError("VALUE", value[:40] + "…", f"is longer than {MAX_VALUE} characters")
    if key.endswith(".url"):
        _check_url(key, value)
    return value


def _check_url(key: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in value):
        raise InputError("VALUE", value, f"is not a web address for {key}", "give a full https://… URL")
    if parts.scheme == "http":  # a published review's address is https: validators and browsers flag plain http
        raise InputError("VALUE", value, f"is not https for {key}", "give the https://… address")
    if key == "review.url":
        if "{id}" not in value:
            raise InputError("VALUE", value, "has no {id}", "put {id} where the claim id goes: https://example.org/checks/{id}")
        try:
            one_address = review_url(value, 1) == review_url(value, 2)
        except (KeyError, IndexError, ValueError):
            raise InputError("VALUE", value, "has braces other than {id}", "double a literal brace: {{ or }}") from None
        if one_address:  # "{{id}}" is a literal {id}: every review would get the same address
            raise InputError("VALUE", value, "gives every claim the same address", "write {id} with single braces")


def review_url(pattern: str, claim_id: int) -> str:
    return pattern.format(id=claim_id)
