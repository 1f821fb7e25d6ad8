"""The cache must never change what a run writes: random runs over messy, labelled data.

Two copies of a site take the same steps: one with the cache (`SIGNSYNC_CACHE_DIR`), one
without (`SIGNSYNC_CACHE=0`: the whole registry read and indexed every run). Hypothesis picks
the responses (rows of the hand-labelled names corpus: junk, duplicates in many scripts, shared
addresses, organizations, typos), where the runs cut them into batches, the shard size, and the
editor's hand edits between runs (withdraw, rename, delete a line so that its responses come
back, the cache deleted, a `signsync reshard` to another shard size). After every run both
sites must hold the same bytes and print the same words (tests/cli/test_scale.py's `_Pair`).
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_scale import HEADER, _Pair
from tests.support.helpers import run_cli

CORPUS = Path(__file__).parent.parent / "data" / "names_corpus.csv"


def _corpus_rows() -> list[dict[str, str]]:
    with open(CORPUS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _form_row(i: int, r: dict[str, str], email: str) -> str:
    stamp = f"11/{1 + i // 1440 % 28:02d}/2026 {i // 60 % 24:02d}:{i % 60:02d}:00"
    kind = r["kind_answer"] or ""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        [stamp, f"{email}@example.org" if email else "", r["name"], r["affiliation"], kind, "Yes"]
    )
    return buf.getvalue()


def _responses(seed: int, n: int) -> list[str]:
    """n form rows drawn from the corpus, with re-signings: some rows again with the same
    address and a typo, some addresses shared by two names."""
    rng = random.Random(seed)
    corpus = _corpus_rows()
    picked = rng.sample(corpus, min(n, len(corpus)))
    rows: list[tuple[dict[str, str], str]] = []
    for r in picked:
        email = r["email"].replace("@", "-") if r["email"] else ""
        rows.append((r, email))
        x = rng.random()
        if x < 0.08 and len(r["name"]) > 5:  # signs again with a typo
            j = rng.randrange(1, len(r["name"]) - 1)
            rows.append(({**r, "name": r["name"][:j] + r["name"][j + 1 :]}, email))
        elif x < 0.12 and rows:  # a shared address
            other, _ = rng.choice(rows)
            rows.append((other, email))
    return [_form_row(i, r, e) for i, (r, e) in enumerate(rows)]


def _withdraw(text: str, k: int) -> str:
    hits = [i for i in range(len(text)) if text.startswith(",published,", i)]
    if not hits:
        return text
    i = hits[k % len(hits)]
    return text[:i] + ",withdrawn," + text[i + len(",published,") :]


def _rename(text: str, k: int) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2:
        return text
    row = rows[1 + k % (len(rows) - 1)]
    col = rows[0].index("name")
    row[col] = row[col].upper() if row[col] != row[col].upper() else row[col].title()
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _delete_row(text: str, k: int) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return text
    del lines[1 + k % (len(lines) - 1)]
    return "".join(lines)


EDITS = st.sampled_from(["none", "withdraw", "rename", "delete row", "drop cache", "reshard"])


def _run(
    tmp: Path, seed: int, n: int, cuts: list[int], shard_rows: int, edits: list[tuple[str, int]]
) -> None:
    rows = _responses(seed, n)
    pair = _Pair(tmp, f"shard_rows = {shard_rows}")
    bounds = sorted({min(len(rows), max(1, c)) for c in cuts}) + [len(rows)]
    for step, end in enumerate(bounds):
        pair.write_responses(HEADER + "".join(rows[:end]))
        pair.apply(f"run {step} (rows 0-{end})")
        what, k = edits[step % len(edits)]
        shards = sorted(p.name for p in pair.cached.parent.glob("signatories*.csv"))
        shard = shards[k % len(shards)]
        if what == "withdraw":
            pair.edit(shard, lambda t, k=k: _withdraw(t, k))
        elif what == "rename":
            pair.edit(shard, lambda t, k=k: _rename(t, k))
        elif what == "delete row":  # the editor deletes a line: its responses come back as new
            pair.edit(shard, lambda t, k=k: _delete_row(t, k))
        elif what == "reshard":  # `signsync reshard` to another shard size, on both sites
            rows_now = 5 + k % 60
            pair.edit(
                "signsync.toml", lambda t, r=rows_now: re.sub(r"shard_rows = \d+", f"shard_rows = {r}", t)
            )
            for cfg, env in ((pair.cached, pair.env), (pair.plain, {**pair.env, "SIGNSYNC_CACHE": "0"})):
                done = run_cli("reshard", "--config", str(cfg), env=env)
                assert done.code == 0, done.err
        elif what == "drop cache":
            for p in pair.cache_dir.glob("*.sqlite*"):
                p.unlink()
    pair.apply("nothing new")


CASES = dict(
    seed=st.integers(0, 10_000),
    n=st.integers(60, 400),
    cuts=st.lists(st.integers(1, 400), min_size=1, max_size=4),
    shard_rows=st.integers(7, 120),
    edits=st.lists(st.tuples(EDITS, st.integers(0, 1000)), min_size=1, max_size=5),
)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**CASES)
def test_cached_and_uncached_runs_write_the_same_files(
    tmp_path_factory: pytest.TempPathFactory, **case: object
) -> None:
    _run(tmp_path_factory.mktemp("diff"), **case)  # type: ignore[arg-type]


@pytest.mark.slow
@settings(
    # SIGNSYNC_DIFF_EXAMPLES raises it for a longer search (as SIGNSYNC_STATEFUL_EXAMPLES does for
    # tests/properties/test_state_machine.py).
    max_examples=int(os.environ.get("SIGNSYNC_DIFF_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(**CASES)
def test_cached_and_uncached_runs_write_the_same_files_many(
    tmp_path_factory: pytest.TempPathFactory, **case: object
) -> None:
    _run(tmp_path_factory.mktemp("diff"), **case)  # type: ignore[arg-type]


def test_a_registry_written_by_a_run_reads_back_to_the_same_bytes(tmp_path: Path) -> None:
    """What a run writes is what the registry reads back (names typed with spaces around them,
    inside them, tabs, quotes, commas, formula starts): a shard written again without changes
    must not change, with the cache or without (found by the test above: a typed name with
    spaces around it was kept in one and trimmed in the other)."""
    from sync.store.registry import dump_registry, parse_registry

    names = ["   Peter    Smith   ", "\tAna Lima\t", '"Jo" O\'Neil', "Ruiz, Marta", "=Eve Hall", " Li Wei"]
    rows = [
        _form_row(i, {"name": n, "affiliation": " Univ. X ", "kind_answer": ""}, f"p{i}")
        for i, n in enumerate(names)
    ]
    pair = _Pair(tmp_path, "shard_rows = 4")
    pair.write_responses(HEADER + "".join(rows[:3]))
    pair.apply("first run")
    pair.edit("signatories.csv", lambda t: _withdraw(t, 1))
    pair.write_responses(HEADER + "".join(rows))
    pair.apply("the rest, after a hand edit")
    for p in sorted(pair.cached.parent.glob("signatories*.csv")):
        text = p.read_text(encoding="utf-8")
        assert dump_registry(parse_registry(text, p.name)) == text, p.name
