"""WordPressTarget against a real WordPress (tests/wordpress_server.py): real HTTP, no mocks."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.wordpress


def test_harness_serves_the_page_with_markers(wordpress):
    answer = requests.get(
        wordpress.page_url(),
        params={"context": "edit"},
        auth=(wordpress.editor.login, wordpress.editor.app_password),
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.json()["content"]["raw"] == wordpress.initial_content
