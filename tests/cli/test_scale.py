"""Scale: the sharded registry, the cache, `max_listed` and progress, through the CLI on real
files. Large sizes are the benchmark's job (bench/bench_pipeline.py); here the same code paths
run with small shards."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from markupsafe import escape

from tests.support.helpers import copy_example, run_cli


def _site(root: Path, extra_registry: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    cfg = copy_example(root)
    if extra_registry:
        text = cfg.read_text(encoding="utf-8")
        cfg.write_text(
            text.replace('path = "signatories.csv"\n', f'path = "signatories.csv"\n{extra_registry}\n'),
            encoding="utf-8",
        )
    return cfg


def _ids(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return [r[0] for r in rows[1:]]


def test_sharded_registry_holds_the_same_entries_and_page(tmp_path: Path) -> None:
    plain = _site(tmp_path / "plain")
    sharded = _site(tmp_path / "sharded", "shard_rows = 5")
    for cfg in (plain, sharded):
        r = run_cli("apply", "--yes", "--config", str(cfg))
        assert r.code == 0, r.err
    one = _ids(plain.parent / "signatories.csv")
    shards = sorted(sharded.parent.glob("signatories*.csv"))
    names = [p.name for p in shards]
    assert names[0] == "signatories.csv" and names[1] == "signatories.part002.csv", names
    assert len(shards) == -(-len(one) // 5)
    parts = [_ids(p) for p in shards]
    assert all(len(p) == 5 for p in parts[:-1]) and 0 < len(parts[-1]) <= 5
    together = [i for p in parts for i in p]
    assert sorted(together) == sorted(one) and len(set(together)) == len(together)
    # Same order overall: shards are consecutive pieces of registry order.
    assert together == one
    assert (sharded.parent / "statement.html").read_bytes() == (plain.parent / "statement.html").read_bytes()
    again = run_cli("apply", "--yes", "--config", str(sharded))
    assert again.code == 0 and "Nothing to change" in again.err, again.err


def test_new_signers_go_to_the_last_shard_and_old_shards_stay_untouched(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site", "shard_rows = 5")
    responses = cfg.parent / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines(keepends=True)
    responses.write_text("".join(lines[:13]), encoding="utf-8")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    before = {p.name: p.read_bytes() for p in cfg.parent.glob("signatories*.csv")}
    responses.write_text("".join(lines), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    after = {p.name: p.read_bytes() for p in cfg.parent.glob("signatories*.csv")}

    def ids(text: bytes) -> list[str]:
        return [r[0] for r in csv.reader(io.StringIO(text.decode()))][1:]

    full = [n for n, b in before.items() if len(ids(b)) == 5]
    assert full, before.keys()
    for name in full:
        # A full shard takes no new entry; it changes only where a response merged into one.
        assert ids(after[name]) == ids(before[name])
    assert len(after) > len(before)


def test_an_id_in_two_shards_is_an_error_naming_both(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site", "shard_rows = 5")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    first = (cfg.parent / "signatories.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    part = cfg.parent / "signatories.part002.csv"
    text = part.read_text(encoding="utf-8")
    pad = "," * (text.splitlines()[0].count(",") - first[0].count(","))  # the shards' optional columns
    part.write_text(text + first[1].rstrip("\n") + pad + "\n", encoding="utf-8")
    r = run_cli("plan", "--config", str(cfg))
    assert r.code == 1
    sid = first[1].split(",")[0]
    assert r.err.startswith("Error: ") and sid in r.err and "signatories.csv" in r.err, r.err
    assert "Traceback" not in r.err


@pytest.mark.parametrize("edit", ["name", "withdraw"])
def test_hand_edit_in_a_shard_reaches_the_page(tmp_path: Path, edit: str) -> None:
    cfg = _site(tmp_path / "site", "shard_rows = 5")
    assert run_cli("apply", "--yes", "--config", str(cfg)).code == 0
    part = cfg.parent / "signatories.part002.csv"
    rows = list(csv.reader(io.StringIO(part.read_text(encoding="utf-8"))))
    target = next(r for r in rows[1:] if r[1] == "published")
    old_name = target[3]
    if edit == "name":
        target[3] = "Edited By Hand"
    else:
        target[1] = "withdrawn"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    part.write_text(buf.getvalue(), encoding="utf-8")
    r = run_cli("apply", "--yes", "--config", str(cfg))
    assert r.code == 0, r.err
    page = (cfg.parent / "statement.html").read_text(encoding="utf-8")
    if edit == "name":
        assert "Edited By Hand" in page
    assert old_name not in page


# --- the cache: same files with it, without it, and whatever state it is in -------------------

HEADER = (
    "Timestamp,Email Address,Full name,Title and organization (optional),Signing as,"
    "I agree that my name may be published\n"
)


def _generated_rows(n: int) -> list[str]:
    """Form rows from the benchmark's synthetic signatures (~3% duplicates, many scripts)."""
    import sys
    from datetime import datetime, timedelta

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_names import make_signatures

    start = datetime(2026, 1, 5, 8, 0, 0)
    out = []
    for i, (_id, name, aff, email) in enumerate(make_signatures(n, seed=11)):
        stamp = (start + timedelta(seconds=37 * i)).strftime("%m/%d/%Y %H:%M:%S")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(
            [stamp, f"{email}@example.org", name, aff, "An individual", "Yes"]
        )
        out.append(buf.getvalue())
    return out


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(site.iterdir())
        if p.suffix in (".csv", ".html", ".json")
        and p.name != "responses.csv"
        # page backups name the site's folder and the time they were taken
        and ".page-backup." not in p.name
    }


class _Pair:
    """Two copies of a site: one run with the cache, one with SIGNSYNC_CACHE=0 (the whole
    registry read every time). Every step runs on both and must leave the same bytes."""

    def __init__(self, root: Path, extra_registry: str = "") -> None:
        self.cached = _site(root / "cached", extra_registry)
        self.plain = _site(root / "plain", extra_registry)
        self.cache_dir = root / "cache"
        self.env = {"SIGNSYNC_CACHE_DIR": str(self.cache_dir)}

    def write_responses(self, text: str) -> None:
        for cfg in (self.cached, self.plain):
            (cfg.parent / "responses.csv").write_text(text, encoding="utf-8")

    def edit(self, name: str, change: object) -> None:
        for cfg in (self.cached, self.plain):
            path = cfg.parent / name
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]

    def apply(self, what: str) -> None:
        a = run_cli("apply", "--yes", "--config", str(self.cached), env=self.env)
        b = run_cli("apply", "--yes", "--config", str(self.plain), env={**self.env, "SIGNSYNC_CACHE": "0"})
        assert a.code == b.code, (what, a.err, b.err)
        assert a.code == 0, (what, a.err)

        # The same words, but for the site's folder and the time in a page backup's name.
        def said(err: str, site: Path) -> str:
            return re.sub(r"\d{8}T\d{6}Z", "<time>", err.replace(str(site), ""))

        assert said(a.err, self.cached.parent) == said(b.err, self.plain.parent), what
        fa, fb = _files(self.cached.parent), _files(self.plain.parent)
        assert fa.keys() == fb.keys(), what
        for name in fa:
            assert fa[name] == fb[name], f"{what}: {name} differs with the cache"

    def cache_files(self) -> list[Path]:
        return sorted(self.cache_dir.glob("*.sqlite"))


def test_cached_runs_write_what_uncached_runs_write_on_the_example(tmp_path: Path) -> None:
    pair = _Pair(tmp_path, "shard_rows = 7")
    lines = (pair.cached.parent / "responses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    pair.write_responses("".join(lines[:9]))
    pair.apply("first run")
    assert pair.cache_files(), "the cached run made no cache"
    pair.write_responses("".join(lines[:20]))
    pair.apply("incremental")
    pair.write_responses("".join(lines))
    pair.apply("incremental 2")
    pair.apply("nothing new")
    # A hand edit in one shard: the cache must notice it and read that shard again.
    pair.edit("signatories.part002.csv", lambda t: t.replace(",published,", ",withdrawn,", 1))
    pair.apply("after a hand edit")
    pair.edit(
        "responses.csv",
        lambda t: t + "11/30/2026 10:00:00,new.one@example.org,Zelda New,,An individual,Yes,\n",
    )
    pair.apply("new signer after the hand edit")


@pytest.mark.parametrize("damage", ["deleted", "corrupted", "stale", "other registry"])
def test_a_damaged_cache_gives_the_same_files_as_no_cache(tmp_path: Path, damage: str) -> None:
    pair = _Pair(tmp_path, "shard_rows = 6")
    lines = (pair.cached.parent / "responses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    pair.write_responses("".join(lines[:16]))
    pair.apply("first run")
    (cache,) = pair.cache_files()
    if damage == "deleted":
        cache.unlink()
    elif damage == "corrupted":
        data = bytearray(cache.read_bytes())
        data[100:4000] = b"\xff" * 3900
        cache.write_bytes(bytes(data))
        for extra in pair.cache_dir.glob("*.sqlite-*"):
            extra.unlink()
    elif damage == "stale":
        # The registry moves on without the cache (edited and extended by hand, as a git
        # pull would): the cache still describes the old files.
        saved = cache.read_bytes()
        pair.write_responses("".join(lines[:24]))
        pair.apply("a run the cache then forgets")
        for extra in pair.cache_dir.glob("*.sqlite-*"):
            extra.unlink()
        cache.write_bytes(saved)
        pair.edit("signatories.csv", lambda t: t.replace(",published,", ",withdrawn,", 1))
    else:
        # Another registry's cache under this registry's name.
        other = _Pair(tmp_path / "other", "shard_rows = 6")
        other.write_responses("".join(lines[:1] + lines[20:]))
        other.apply("the other registry")
        for extra in pair.cache_dir.glob("*.sqlite-*"):
            extra.unlink()
        cache.write_bytes(other.cache_files()[0].read_bytes())
    pair.write_responses("".join(lines))
    pair.apply(f"after the cache was {damage}")
    pair.apply("nothing new")


@pytest.mark.slow
def test_cached_runs_write_what_uncached_runs_write_on_10k_generated_signatures(tmp_path: Path) -> None:
    rows = _generated_rows(10_000)
    pair = _Pair(tmp_path, "shard_rows = 2500")
    pair.write_responses(HEADER + "".join(rows[:7000]))
    pair.apply("first run, 7,000")
    pair.write_responses(HEADER + "".join(rows[:9000]))
    pair.apply("+2,000")
    pair.edit("signatories.part002.csv", lambda t: t.replace(",published,", ",withdrawn,", 3))
    pair.write_responses(HEADER + "".join(rows))
    pair.apply("+1,000 after a hand edit")
    pair.apply("nothing new")


def test_the_cache_finds_every_duplicate_the_whole_registry_finds(tmp_path: Path) -> None:
    """index_for from the cache answers each query exactly as an index of the whole registry
    (emails, exact keys, spacing, other scripts, fuzzy blocks)."""
    import random
    import sys

    from sync.cache import Cache
    from sync.dedupe.matching import Candidate
    from sync.dedupe.reconcile import LoadedRegistry
    from sync.model import Signatory
    from sync.names import read_name

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_names import make_signatures

    rng = random.Random(5)
    people = make_signatures(2600, seed=21)
    entries = []
    for i, (_id, name, aff, email) in enumerate(people[:2000]):
        reading = read_name(name, aff)
        status = rng.choice(["published"] * 8 + ["pending", "rejected", "withdrawn"])
        entries.append(
            Signatory(
                f"s-{i:05d}",
                status,
                reading.kind,
                reading.display or name,
                reading.affiliation,  # type: ignore[arg-type]
                email_keys=(email,) if email else (),
            )
        )
    registry = tmp_path / "signatories.csv"
    cache = Cache(registry, tmp_path / "cache.sqlite")
    cache.open()
    assert cache.db is not None
    cache.db.execute("BEGIN")
    cache._put_shard(1, registry.name, "x", entries[:1200], canonical=True)
    cache._put_shard(2, "part002", "y", entries[1200:], canonical=True)
    cache.db.execute("COMMIT")
    queries = []
    for _id, name, aff, email in people[2000:]:
        # Some new signers reuse an existing address under another name (shared addresses).
        if rng.random() < 0.2:
            email = rng.choice(entries).email_keys[0]
        reading = read_name(name, aff)
        queries.append(Candidate.of_reading("", reading, (email,), (email[:6],)))
    full = LoadedRegistry(entries).index_for(queries)
    part = cache.view().index_for(queries)
    assert len(part) < len(full)  # the cache fetched a part, not everything
    found = 0
    for q in queries:
        expected = full.match(q)
        assert part.match(q) == expected, q
        found += bool(expected)
    assert found > 50  # the queries do meet duplicates


def test_max_listed_shows_the_count_and_the_most_recent_with_a_link(tmp_path: Path) -> None:
    full = _site(tmp_path / "full")
    assert run_cli("apply", "--yes", "--config", str(full)).code == 0
    everyone = (full.parent / "statement.html").read_text(encoding="utf-8")
    count = everyone.count("<li>")
    pair = _Pair(tmp_path / "pair")
    for cfg in (pair.cached, pair.plain):
        text = cfg.read_text(encoding="utf-8")
        cfg.write_text(
            text.replace(
                'path = "statement.html"\n',
                'path = "statement.html"\nmax_listed = 4\ndata_file = "all.json"\n',
            ),
            encoding="utf-8",
        )
    lines = (pair.cached.parent / "responses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    pair.write_responses("".join(lines[:12]))
    pair.apply("first run, max_listed")
    pair.write_responses("".join(lines))
    pair.apply("incremental, max_listed")
    page = (pair.cached.parent / "statement.html").read_text(encoding="utf-8")
    assert page.count("<li>") == 4
    assert f'<p class="signatories-count">{count} signatories</p>' in page
    assert '<a href="all.json">' in page
    data = (pair.cached.parent / "all.json").read_text(encoding="utf-8")
    assert f'"total": {count}' in data
    # The four shown are the latest signers still published, newest first.
    registry = list(csv.DictReader(io.StringIO((pair.cached.parent / "signatories.csv").read_text("utf-8"))))
    newest = sorted(
        (r for r in registry if r["status"] == "published"),
        key=lambda r: (r["signed"], r["id"]),
        reverse=True,
    )[:4]
    shown = page[page.index('class="signatories-recent"') :]
    positions = [shown.index(str(escape(r["name"]))) for r in newest]
    assert positions == sorted(positions)


def test_progress_goes_to_stderr_only_and_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    cfg = _site(tmp_path / "site")
    env = {"SIGNSYNC_PROGRESS": "lines", "SIGNSYNC_PROGRESS_AFTER": "0"}
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert r.code == 2, r.err
    assert "signsync: reading responses" in r.err and "signsync: reconciling" in r.err
    assert "signsync:" not in r.out
    quiet = run_cli("plan", "--config", str(cfg), env={"SIGNSYNC_PROGRESS_AFTER": "0"})
    assert "signsync:" not in quiet.err  # not a terminal: nothing unless asked
    assert quiet.out == r.out


def _crowded_blocks() -> tuple[list[str], list[str]]:
    """Registry names and new names around one fuzzy block at SMALL_BLOCK keys, and one far
    past it. "Karoline Hughes" meets "Caroline Hughes" only in the block "hughes>e" (their
    sorted keys differ in their first token), where only the typed order scores them: found
    while that block holds at most SMALL_BLOCK keys, not once this run's new names fill it."""
    import itertools

    from sync.dedupe.matching import SMALL_BLOCK

    letters = "abcdefghijklmnopqrstuvwxyz"
    syllables = ["".join(p) for p in itertools.product("bdgklmnprstv", "aiou")]
    firsts = [f"{a.capitalize()}{b}ne" for a, b in itertools.product(syllables, syllables)]
    registry = [f"{f} Hughes" for f in firsts[: SMALL_BLOCK - 3]]  # "hughes>e": 61 keys
    registry += [f"{f} Wright" for f in firsts[: 3 * SMALL_BLOCK]]  # "wright>e": 192 keys
    registry += ["Caroline Hughes", "Caroline Wright", "Hughes Caroline", "Carolyn Hughes"]
    new = ["Karoline Hughes", "Karoline Wright"]
    # New names that join "hughes>e" one by one (past SMALL_BLOCK after four), each followed by
    # a name that only the typed order finds.
    for i, f in enumerate(firsts[SMALL_BLOCK : SMALL_BLOCK + 8]):
        new += [f"{f} Hughes", f"K{letters[i]}roline Hughes", "Karoline Hughes"]
    return registry, new


@pytest.mark.parametrize("edits", [False, True])
def test_the_cache_matches_as_the_whole_registry_as_new_names_join_crowded_blocks(
    tmp_path: Path, edits: bool
) -> None:
    """As reconcile uses it (match, then add the new entry), the cache's index answers every
    query as an index of the whole registry: in blocks of about SMALL_BLOCK keys growing past
    it during the run, in blocks far past it, for keys whose first entry is not matchable or
    is typed in another order; and (`edits`) after entries were replaced in place (renamed,
    rejected) and a shard was stored again."""
    import random
    import sys
    from dataclasses import replace

    from sync.cache import Cache
    from sync.dedupe.matching import Candidate
    from sync.dedupe.reconcile import LoadedRegistry
    from sync.model import Signatory
    from sync.names import read_name

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_names import make_signatures

    rng = random.Random(7)
    crowded, new_names = _crowded_blocks()
    people = [name for _id, name, _aff, _email in make_signatures(1500, seed=22)]
    names = people[:1200] + crowded
    rng.shuffle(names)
    # A key whose first entry is one signsync rejected (not matchable), then the same key typed
    # in the other order.
    names = ["Hughes Karolina", *names, "Karolina Hughes"]
    # Twelve namesakes: the same-name tier looks at the first few only, after those matched by
    # email (new signers below reuse the emails of the 2nd and 5th "Ana Torres").
    at = sorted(rng.sample(range(1, len(names)), 24))
    similar_at, at = at[1::2], at[::2]
    for i in at:
        names[i] = "Ana Torres"
    for i in similar_at:  # a similar key with many entries: hints, of which the first few are shown
        names[i] = "Anna Torres"
    ids = [f"s-{n:010x}" for n in rng.sample(range(1 << 40), len(names))]
    for k, i in enumerate(at + similar_at):  # later ones first by id: those left out would be shown
        ids[i] = f"s-000000{99 - k:04d}"
    entries = []
    for i, name in enumerate(names):
        reading = read_name(name)
        status = "rejected" if i == 0 else rng.choice(["published"] * 8 + ["pending", "withdrawn"])
        email = f"e{i % 700}" if name not in ("Ana Torres", "Anna Torres") else f"ana{i}"
        entries.append(
            # ids in no particular order, as signsync makes them: matches are ranked by id
            Signatory(ids[i], status, reading.kind, reading.display or name, "", email_keys=(email,))
        )
    half = len(entries) // 2
    registry = tmp_path / "signatories.csv"
    cache = Cache(registry, tmp_path / "cache.sqlite")
    cache.open()
    assert cache.db is not None
    cache.db.execute("BEGIN")
    cache._put_shard(1, registry.name, "x", entries[:half], canonical=True)
    cache._put_shard(2, "part002", "y", entries[half:], canonical=True)
    cache.db.execute("COMMIT")
    if edits:
        cache.db.execute("BEGIN")
        # The first of "Caroline Hughes" / "Hughes Caroline" (one key, two typed orders: which
        # one "Karoline Hughes" meets in typed order) and one key of the crowded block rejected.
        caroline = next(i for i, s in enumerate(entries) if s.name in ("Caroline Hughes", "Hughes Caroline"))
        crowded_one = next(i for i, s in enumerate(entries) if s.name.endswith("ne Hughes") and i != caroline)
        changes = {
            caroline: replace(entries[caroline], status="rejected"),
            crowded_one: replace(entries[crowded_one], status="rejected"),
            3: replace(entries[3], name="Zoe Hughes"),
            # an earlier entry of "hughes karolina" (its first one is rejected), typed the
            # other way round: the key's first entry and k_nospace change
            2: replace(entries[2], name="Hughes Karolina"),
            5: replace(entries[5], name="Karolina Wright"),
            7: replace(entries[7], status="rejected"),
        }
        for i, s in changes.items():
            entries[i] = s
            cache._recount_keys({cache._replace(1 if i < half else 2, s)})
        # The second shard stored again (as a hand edit makes sync() do), one entry fewer.
        gone = entries.pop(half + 10)
        assert gone.id
        cache._drop_shard(2)
        cache._put_shard(2, "part002", "z", entries[half:], canonical=True)
        cache.db.execute("COMMIT")
        # What the edits left in the cache's keys and blocks is what storing the edited
        # entries afresh gives.
        fresh = Cache(registry, tmp_path / "fresh.sqlite")
        fresh.open()
        assert fresh.db is not None
        fresh.db.execute("BEGIN")
        fresh._put_shard(1, registry.name, "x", entries[:half], canonical=True)
        fresh._put_shard(2, "part002", "z", entries[half:], canonical=True)
        fresh.db.execute("COMMIT")
        for table in ("keys", "blocks"):
            sql = f"SELECT * FROM {table} ORDER BY 1, 2"
            assert cache.db.execute(sql).fetchall() == fresh.db.execute(sql).fetchall(), table
    queries = []
    for i, name in enumerate(new_names + people[1200:1500]):
        reading = read_name(name)
        email = f"e{rng.randrange(900)}"
        queries.append(Candidate.of_reading(f"n-{i:05d}", reading, (email,), (email[:2],)))
    torres = read_name("Ana Torres")
    for i, email in enumerate([f"ana{at[1]}", "new1", f"ana{at[4]}", "new2", "new1", f"ana{at[1]}"]):
        queries.insert(10 + 7 * i, Candidate.of_reading(f"t-{i}", torres, (email,), (email[:3],)))
    both = (f"ana{at[1]}", f"ana{at[4]}")  # one signer giving two namesakes' emails
    queries.insert(5, Candidate.of_reading("t-both", torres, both, ("zz",)))
    # the email of the "Anna Torres" with the smallest id: a better match than a hint for it
    queries.insert(7, Candidate.of_reading("t-anna", torres, (f"ana{similar_at[-1]}",), ("yy",)))
    full = LoadedRegistry(entries).index_for(queries)
    part = cache.view().index_for(queries)
    assert len(part) < len(full) // 2  # the cache fetched a small part
    carolines = {s.id for s in entries if s.name == "Caroline Hughes"}
    met = []  # for each "Karoline Hughes": did it meet "Caroline Hughes"?
    for q in queries:
        expected = full.match(q)
        assert part.match(q) == expected, q
        if q.key == "hughes karoline":
            met.append(any(m.id in carolines for m in expected))
        full.add(q)
        part.add(q)
    if edits:
        # "Hughes Caroline" is now the key's first matchable entry: not similar in typed order.
        assert not any(met), met
    else:
        # Met while the block held at most SMALL_BLOCK keys, not once the new names filled it.
        assert met[:2] == [True, True] and met[-1] is False, met


def test_the_cache_counts_published_entries_as_they_come_and_go(tmp_path: Path) -> None:
    """The page's count comes from counts SQLite keeps as entries are stored, replaced and
    dropped, and counts anew after a bulk load: always what counting the entries gives."""
    from dataclasses import replace

    from sync.cache import Cache
    from sync.model import Signatory

    statuses = ["published", "pending", "published", "withdrawn", "rejected"]
    entries = [
        Signatory(
            f"s-{i:06d}",
            statuses[i % 5],  # type: ignore[arg-type]
            "organization" if i % 7 == 0 else "individual",
            f"Name{i} Person",
            "",
        )
        for i in range(24_000)
    ]
    cache = Cache(tmp_path / "signatories.csv", tmp_path / "cache.sqlite")
    cache.open()
    assert cache.db is not None
    db = cache.db

    def counted() -> dict[int, int]:
        sql = "SELECT kind = 'organization', count(*) FROM entries WHERE status = 'published' GROUP BY 1"
        return dict(db.execute(sql).fetchall())

    db.execute("BEGIN")
    assert cache._bulk(len(entries))  # a bulk load: counted once at its end
    cache._put_shard(1, "signatories.csv", "x", entries[:20_000], canonical=True)
    cache._put_shard(2, "part002", "y", entries[20_000:], canonical=True)
    cache._reindex()
    db.execute("COMMIT")
    assert cache.count_published() == counted() and counted()[1] > 1000
    db.execute("BEGIN")
    cache._replace(1, replace(entries[0], status="withdrawn"))  # a published organization
    cache._replace(1, replace(entries[1], status="published"))
    cache._replace(1, replace(entries[2], kind="organization"))
    cache._drop_shard(2)
    cache._put_shard(2, "part002", "z", entries[20_000:21_000], canonical=True)
    db.execute("COMMIT")
    assert cache.count_published() == counted()


@pytest.mark.parametrize(
    "published",
    [[], ["s-0000000001"], [f"s-{i:010x}" for i in range(3000)], ["s-ü\u2028x", 'a"b\\c', "", "\x00"], None],
)
def test_the_state_is_written_as_the_indented_json_encoder_writes_it(published: list[str] | None) -> None:
    import json

    from sync.store.state import STATE_VERSION, State

    doc = {"cursor": {"rows": 3, "tail": "x"}, "page": {"checksum": "m1:1"}, "key_check": "k"}
    if published is not None:
        doc["published"] = published  # type: ignore[assignment]
    expected = json.dumps({"version": STATE_VERSION, **doc}, indent=2, sort_keys=True) + "\n"
    assert State.parse(expected, "state.json").dump() == expected


def test_a_shard_saved_with_a_byte_order_mark_gives_the_same_files_as_no_cache(tmp_path: Path) -> None:
    """A shard otherwise in signsync's own form but with a byte-order mark (a spreadsheet
    program's save): its text's hash is not its bytes' hash."""
    pair = _Pair(tmp_path, "shard_rows = 7")
    lines = (pair.cached.parent / "responses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    pair.write_responses("".join(lines[:16]))
    pair.apply("first run")
    for cfg in (pair.cached, pair.plain):
        path = cfg.parent / "signatories.part002.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    pair.apply("after the byte-order mark")
    pair.write_responses("".join(lines))
    pair.apply("new signers and merges after the byte-order mark")
    pair.apply("nothing new")
