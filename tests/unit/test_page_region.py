"""The marker region of a page (render/page.py): replaced whole, errors for broken markers,
the checksum of what it holds."""

from __future__ import annotations

import pytest

from render.page import checksum, region_text, replace_region
from sync.errors import MarkerError

PAGE = "<p>before</p>\n  <!-- signatories:start -->\nold\n  <!-- signatories:end -->\n<p>after</p>\n"


@pytest.mark.parametrize(
    ("page", "section", "expected"),
    [
        (
            PAGE,
            "<ul></ul>\n",
            "<p>before</p>\n  <!-- signatories:start -->\n<ul></ul>\n"
            "  <!-- signatories:end -->\n<p>after</p>\n",
        ),
        (
            "a<!-- signatories:start --><!-- signatories:end -->b",
            "x\n",
            "a<!-- signatories:start -->\nx\n<!-- signatories:end -->b",
        ),
        (
            "a\r\n<!-- signatories:start -->\r\n<!-- signatories:end -->\r\nb",
            "x\ny\n",
            "a\r\n<!-- signatories:start -->\r\nx\r\ny\r\n<!-- signatories:end -->\r\nb",
        ),
    ],
)
def test_replace_region(page: str, section: str, expected: str) -> None:
    out = replace_region(page, section, "p")
    assert out == expected
    assert replace_region(out, section, "p") == out  # a rerun changes no byte


@pytest.mark.parametrize(
    "page",
    [
        "no markers",
        "<!-- signatories:start --> <!-- signatories:start --> <!-- signatories:end -->",
        "<!-- signatories:end --> <!-- signatories:start -->",
    ],
)
def test_region_errors(page: str) -> None:
    with pytest.raises(MarkerError):
        replace_region(page, "x", "p")


def test_checksum_tracks_region() -> None:
    assert checksum(region_text(PAGE, "p")) == checksum("\nold\n  ")
    assert checksum("a") != checksum("b")
