"""Tokens, as properties: a token verifies for exactly the entry, signer and action it was made
for, under the key it was made with; changing any one of them, or any character, fails."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync.operations.self_service.tokens import ACTIONS, make_token, token_entry, token_key, token_valid

ids = st.from_regex(r"s-[0-9a-f]{10}", fullmatch=True)
email_keys = st.from_regex(r"[0-9a-f]{16}", fullmatch=True)
actions = st.sampled_from(ACTIONS)
keys = st.text(min_size=1, max_size=40)


@given(keys, ids, email_keys, actions, keys, ids, email_keys, actions)
def test_a_token_verifies_only_for_what_it_was_made_for(
    key: str, sid: str, ek: str, action: str, key2: str, sid2: str, ek2: str, action2: str
) -> None:
    token = make_token(token_key(key), sid, ek, action)
    assert token_entry(token) == sid
    assert token_valid(token_key(key), token, sid, (ek,), action)
    made_for = token_key(key) == token_key(key2) and (sid, ek, action) == (sid2, ek2, action2)
    assert token_valid(token_key(key2), token, sid2, (ek2,), action2) is made_for


@given(keys, ids, email_keys, actions, st.data())
def test_any_change_to_a_token_fails(key: str, sid: str, ek: str, action: str, data: st.DataObject) -> None:
    token = make_token(token_key(key), sid, ek, action)
    at = data.draw(st.integers(0, len(token) - 1))
    new = data.draw(st.sampled_from("ABCxyz019-_.").filter(lambda c: c != token[at]))
    altered = token[:at] + new + token[at + 1 :]
    assert not token_valid(token_key(key), altered, sid, (ek,), action)
