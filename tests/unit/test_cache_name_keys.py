"""The cache loads only the entries under a broad cross-script or middle-name key that a query
would look at, and still answers every query as an index of the whole registry does: the count
of names under a middle-name key (more than MAX_MIDDLE: not looked at) included."""

from __future__ import annotations

import random
from pathlib import Path

from sync.cache import Cache
from sync.dedupe.matching import MAX_MIDDLE, Candidate
from sync.dedupe.reconcile import LoadedRegistry
from sync.model import Signatory
from sync.names import read_name

MIDDLES = ["Maria", "Jose", "Luis", "Elena", "Pilar", "Juan", "Rosa", "Sofia", "Carmen", "Diego"]
SURNAMES = ["Lopez", "Gomez", "Ruiz", "Diaz", "Moreno", "Munoz", "Alonso", "Romero", "Navarro"]


def _entry(i: int, name: str, email: str, status: str = "published") -> Signatory:
    reading = read_name(name)
    return Signatory(f"s-{i:05d}", status, reading.kind, reading.display or name, "", email_keys=(email,))


def _registry() -> list[Signatory]:
    names = []
    # "Ana <middle> Cano": more than MAX_MIDDLE names whose parts hold "Ana Cano" (a common name)
    names += [f"Ana {m} Cano" for m in MIDDLES] + [f"Ana {m} Cano {s}" for m in MIDDLES for s in SURNAMES]
    # "Rimantas <middle> Dagys": fewer, so that the new ones of one run cross MAX_MIDDLE
    names += [f"Rimantas {m} Dagys" for m in MIDDLES] + [
        f"Rimantas {m} Dagys {s}" for m in MIDDLES for s in SURNAMES[:5]
    ]
    # one name in Latin and Cyrillic letters, among many Latin and Cyrillic names sharing consonants
    names += ["Иван Петров", "Ivan Petrov", "Ivana Petrova", "Иванна Петрова", "Ewan Patrov"]
    names += [f"{a} {b}" for a in ("Ivan", "Evan", "Ovan") for b in ("Petrov", "Putrov", "Pitrov")]
    names += ["Đorđe Jovanović", "Ђорђе Јовановић", "Jorge Jovanovich"]
    names += ["Médecins Sans Frontières", "MSF", "Legal and Human Rights Centre", "LHRC"]
    return [_entry(i, n, f"e{i}") for i, n in enumerate(names)]


def test_broad_name_keys_answer_as_the_whole_registry(tmp_path: Path) -> None:
    entries = _registry()
    assert sum("Ana" in s.name and "Cano" in s.name for s in entries) > MAX_MIDDLE
    assert sum("Rimantas" in s.name for s in entries) < MAX_MIDDLE
    rng = random.Random(3)
    entries.sort(key=lambda s: rng.random())
    registry = tmp_path / "signatories.csv"
    cache = Cache(registry, tmp_path / "cache.sqlite")
    cache.open()
    assert cache.db is not None
    cache.db.execute("BEGIN")
    half = len(entries) // 2
    cache._put_shard(1, registry.name, "x", entries[:half], canonical=True)
    cache._put_shard(2, "part002", "y", entries[half:], canonical=True)
    cache.db.execute("COMMIT")
    new = ["Ana Cano", "Ana Maria Cano", "Rimantas Dagys"]
    new += [f"Rimantas {m} Dagys {s}" for m in MIDDLES[:3] for s in SURNAMES[5:]]  # past MAX_MIDDLE
    new += ["Rimantas Dagys", "Rimantas Jonas Dagys", "Ivan Petrov", "Иван Петров", "Petrov Ivan"]
    new += ["Ђорђе Јовановић", "Dorde Jovanovic", "MSF", "Médecins Sans Frontières", "LHRC", "Ana Cano"]
    queries = []
    for i, name in enumerate(new):
        reading = read_name(name)
        email = f"e{rng.randrange(len(entries) + 10)}"
        queries.append(Candidate.of_reading(f"n-{i:03d}", reading, (email,), (email,)))
    full = LoadedRegistry(entries).index_for(queries)
    part = cache.view().index_for(queries)
    assert len(part) < len(full)  # the cache loaded a part
    held = 0
    for q in queries:
        expected = full.match(q)
        assert part.match(q) == expected, q
        held += any("middle name" in m.reason or "another script" in m.reason for m in expected)
        full.add(q)
        part.add(q)
    assert held >= 5  # the queries do meet middle names and other scripts
