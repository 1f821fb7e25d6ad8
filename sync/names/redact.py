"""Email addresses typed where a name or an affiliation belongs: how they are found, and the one
mask that replaces them wherever signsync shows or stores such text."""

from __future__ import annotations

import re

EMAIL_PATTERN = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
EMAIL_MASK = "[email removed]"


def has_email(text: str) -> bool:
    """Whether `text` holds something shaped like an email address."""
    return "@" in text and EMAIL_PATTERN.search(text) is not None


def mask_emails(text: str) -> str:
    """`text` with every email address replaced by EMAIL_MASK."""
    return EMAIL_PATTERN.sub(EMAIL_MASK, text) if "@" in text else text
