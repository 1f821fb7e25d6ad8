"""A stateful property test (hypothesis's rule-based state machine) of responses over time and
editors' decisions, through the core API the CLI calls (`make_plan`, `apply_plan`, the review
functions on the registry file), with a final check through the CLI itself.

Random sequences of: new responses (real names and their spelling variants, junk, re-sent
duplicates, answers without consent, withdrawn signers signing again), the editors' commands
(withdraw, approve, reject, merge, rename, restore), plan/apply, and edits of the sheet (a CSV:
rows sorted, deleted, a name corrected). After every step, on what apply would publish:

- a declined signer (their latest answer is not a yes, and no editor published them since) or a
  withdrawn one (not restored since) is never on the page;
- every response is accounted for exactly once (in exactly one registry entry) and the plan's
  counts add up;
- no entry is on the page twice, and no signer (email) is on it under two entries;
- the page equals the render of the registry (checked on disk after each apply);
- ids never change or get reused (a response stays in its entry unless an editor merges it).

The model keeps only what the rules promise (times of answers and of editors' decisions), not a
second implementation of reconcile.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from render.page import replace_region
from render.section import render_section
from sync.cli import cli
from sync.config import load_config
from sync.errors import RegistryError
from sync.intake.responses import to_submissions
from sync.intake.sources import read_responses
from sync.model import Plan, Signatory
from sync.names import read_name
from sync.operations.apply import apply_plan
from sync.operations.editor import ReviewError, merge, rename, set_status, withdraw
from sync.operations.plan import make_plan, page_format
from sync.publish.listing import published_section
from sync.store.privacy import has_private_text, sealer_of
from sync.store.registry import dump_registry, load_registry
from sync.support.files import atomic_write_text
from tests.support.helpers import EXAMPLES

HEADER = [
    "Timestamp",
    "Email Address",
    "Full name",
    "Title and organization (optional)",
    "Signing as",
    "I agree that my name may be published",
    "Notes (editors)",
]

# People: a name and spellings of it the signer may send (typo, capitals, without accents).
PEOPLE = [
    ("Helen Barker", ["Hleen Barker", "HELEN BARKER", "helen barker"]),
    ("José García", ["Jose Garcia", "JOSÉ GARCÍA", "José Garcìa"]),
    ("Amina Yusuf", ["Amina Yusuff", "AMINA YUSUF"]),
    ("Caroline Hughes", ["Caroline Hughs"]),
    ("Karoline Hughes", ["KAROLINE HUGHES"]),
    ("Ana Torres", ["Ana Torress"]),
    ("Marta Kowalska", ["Marta Kowalsk", "MARTA KOWALSKA"]),
    ("Ольга Иванова", ["ОЛЬГА ИВАНОВА"]),
    ("Kenji Tanaka", ["Kenji Tanka"]),
    ("Sam Okoye", ["Sam Okoey"]),
]
AFFILIATIONS = ["", "", "Nurse, Lima", "Lawyer, Quito", "Teacher"]
# Junk the names engine rejects today (filtered below, so this test does not depend on how much
# junk the engine knows: it tests what happens to a rejected response over time).
_JUNK = ["I agree", "asdf", "Please add my name", "https://spam.example.com/x", "test", "n/a", "Good luck"]
JUNK = [j for j in _JUNK if read_name(j).reject]
YES, NOT_YES = ["Yes", "yes", "Tak", "Oui"], ["No", "Nie", "Keep me anonymous", ""]
HASH_KEY = "example-only-key-do-not-use-for-a-real-statement"


@dataclass
class Row:
    time: int  # logical clock: the order responses arrive in
    email: str
    name: str
    affiliation: str
    consent: str

    @property
    def yes(self) -> bool:
        return self.consent in YES

    def cells(self) -> list[str]:
        stamp = f"11/{1 + self.time // 1440:02d}/2026 {self.time // 60 % 24:02d}:{self.time % 60:02d}:00"
        return [stamp, self.email, self.name, self.affiliation, "An individual", self.consent, ""]


class Signsync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="signsync-sm-"))
        for name in ("signsync.toml", "statement.html", ".env"):
            shutil.copy(EXAMPLES / name, self.dir / name)
        self.config = load_config(self.dir / "signsync.toml")
        self.rows: list[Row] = []  # the sheet, in sheet order
        self.history: dict[str, Row] = {}  # fingerprint -> row, for every row ever in the sheet
        self.clock = 0
        self.person_email: dict[int, str] = {}
        self.approved_email: dict[str, int] = {}  # email -> when an editor last published it
        self.approved_fp: dict[str, int] = {}  # response -> when an editor last published it
        self.withdrawn_email: dict[str, int] = {}  # email -> when an editor last withdrew it
        self.restored_email: dict[str, int] = {}
        self.withdrawn_fp: dict[str, int] = {}  # response -> when an editor withdrew its entry
        self.restored_fp: dict[str, int] = {}
        self.home: dict[str, str] = {}  # response -> the id it belongs to
        self.applied: set[str] = set()  # responses that were in the sheet at an apply
        self.ids_seen: set[str] = set()
        self.gone: set[str] = set()  # ids merged away by an editor
        self.write_sheet()

    def teardown(self) -> None:
        try:
            runner = CliRunner()
            cfg = str(self.dir / "signsync.toml")
            applied = runner.invoke(cli, ["apply", "--yes", "--config", cfg])
            assert applied.exit_code == 0, applied.output
            again = runner.invoke(cli, ["plan", "--config", cfg])
            assert again.exit_code == 0, again.output  # applied: nothing left to change
            self.check_disk()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- the sheet ---------------------------------------------------------------------------

    def write_sheet(self) -> None:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(r.cells() for r in self.rows)
        (self.dir / "responses.csv").write_text(buf.getvalue(), encoding="utf-8")
        table = read_responses(self.config, None)
        subs = to_submissions(
            table, self.config.columns.by_field(), HASH_KEY, self.config.columns.consent_yes
        )
        assert len(subs.submissions) == len(self.rows)
        by_time = {r.time: r for r in self.rows}
        for sub in subs.submissions:
            minutes = sub.timestamp.day * 1440 - 1440 + sub.timestamp.hour * 60 + sub.timestamp.minute  # type: ignore[union-attr]
            self.history.setdefault(sub.fingerprint, by_time[minutes])

    def arrive(self, email: str, name: str, affiliation: str, consent: str) -> None:
        self.clock += 1
        self.rows.append(Row(self.clock, email, name, affiliation, consent))
        self.write_sheet()

    @rule(
        person=st.integers(0, len(PEOPLE) - 1),
        variant=st.integers(0, 3),
        consent=st.sampled_from(YES * 3 + NOT_YES),
        affiliation=st.sampled_from(AFFILIATIONS),
        with_email=st.booleans(),
    )
    def response(self, person: int, variant: int, consent: str, affiliation: str, with_email: bool) -> None:
        """A signer sends the form (again): their name or one of its spellings."""
        base, variants = PEOPLE[person]
        name = base if variant == 0 or variant > len(variants) else variants[variant - 1]
        email = (
            self.person_email.setdefault(person, f"p{person}@org{person % 3}.example") if with_email else ""
        )
        self.arrive(email, name, affiliation, consent)

    @rule(
        junk=st.sampled_from(JUNK),
        person=st.integers(0, len(PEOPLE) - 1),
        consent=st.sampled_from(YES + NOT_YES),
    )
    def junk(self, junk: str, person: int, consent: str) -> None:
        """A comment from a known signer's address (or a bot's)."""
        self.arrive(self.person_email.get(person, "bot@spam.example"), junk, "", consent)

    @precondition(lambda self: self.rows)
    @rule(data=st.data())
    def edit_sheet(self, data: st.DataObject) -> None:
        """An editor edits the sheet: sorts it, deletes a row, or corrects a name."""
        what = data.draw(st.sampled_from(["sort", "delete", "correct"]))
        if what == "sort":
            self.rows.reverse()
        else:
            i = data.draw(st.integers(0, len(self.rows) - 1))
            if what == "delete":
                del self.rows[i]
            else:
                row = self.rows[i]
                base = next((b for b, vs in PEOPLE if row.name in vs), row.name)
                self.rows[i] = Row(row.time, row.email, base, row.affiliation, row.consent)
        self.write_sheet()

    # -- plan and apply ----------------------------------------------------------------------

    @rule()
    def apply(self) -> None:
        self.apply_now()

    @rule()
    def apply_sooner(self) -> None:  # a second rule: applies come as often as editors' commands
        self.apply_now()

    def apply_now(self) -> None:
        plan = make_plan(self.config)
        apply_plan(self.config, plan)
        self.applied |= {fp for fp, r in self.history.items() if r in self.rows}
        self.check_disk()

    # -- editors' commands (what `_decide` in the CLI does) ----------------------------------

    def registry(self) -> tuple[Signatory, ...]:
        return load_registry(self.config.registry.path).signatories

    def decide(self, decision_fn) -> tuple[Signatory, ...] | None:  # type: ignore[no-untyped-def]
        path = self.config.registry.path
        registry = load_registry(path)
        if registry.text is None:
            return None
        try:
            decision = decision_fn(registry.signatories)
        except (ReviewError, RegistryError):
            return None  # refused (a withdrawn entry, an id merged away, no name kept): nothing written
        # as the CLI writes it: anyone kept private sealed with the example's SIGNSYNC_PRIVATE_KEY
        sealer = sealer_of(self.config)
        kept = [sealer.seal(s) if has_private_text(s) else s for s in decision.signatories]
        atomic_write_text(path, dump_registry(kept))
        return tuple(kept)

    def pick(self, data: st.DataObject) -> Signatory | None:
        entries = self.registry()
        return data.draw(st.sampled_from(entries)) if entries else None

    def published_now(self, before: tuple[Signatory, ...], after: tuple[Signatory, ...] | None) -> None:
        """Record which entries an editor's command published (approve, restore)."""
        if after is None:
            return
        was = {s.id: s.status for s in before}
        self.clock += 1
        for s in after:
            if s.status == "published" and was.get(s.id) != "published":
                for fp in s.responses:
                    self.approved_fp[fp] = self.clock
                    if fp in self.history and self.history[fp].email:
                        self.approved_email[self.history[fp].email] = self.clock

    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        s = self.pick(data)
        if s is not None:
            before = self.registry()
            self.published_now(before, self.decide(lambda sigs: set_status(sigs, [s.id], "published")))

    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        s = self.pick(data)
        if s is not None:
            before = self.registry()
            sealer = sealer_of(self.config)
            after = self.decide(
                lambda sigs: set_status(sigs, [s.id], "published", action="restore", sealer=sealer)
            )
            self.published_now(before, after)
            if after is not None:
                for fp in s.responses:
                    self.restored_fp[fp] = self.clock
                    if fp in self.history and self.history[fp].email:
                        self.restored_email[self.history[fp].email] = self.clock

    @rule(data=st.data(), reason=st.sampled_from(["", "not a real signer"]))
    def reject(self, data: st.DataObject, reason: str) -> None:
        s = self.pick(data)
        if s is not None:
            self.decide(lambda sigs: set_status(sigs, [s.id], "rejected", reason))

    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        s = self.pick(data)
        if s is None:
            return
        emails = [
            self.history[fp].email for fp in s.responses if fp in self.history and self.history[fp].email
        ]
        who = data.draw(st.sampled_from(emails)) if emails and data.draw(st.booleans()) else s.id
        after = self.decide(lambda sigs: withdraw(sigs, who, HASH_KEY, ""))
        if after is not None:
            self.clock += 1
            if "@" in who:  # by email: that signer, whatever entry they send next
                self.withdrawn_email[who] = self.clock
            else:  # by id: that entry
                for fp in s.responses:
                    self.withdrawn_fp[fp] = self.clock

    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        entries = self.registry()
        if len(entries) < 2:
            return
        # An editor merges what looks like one signer twice: two spellings of one person, or two
        # comments. (Merging two different people, then hearing "no" from one of them under
        # their own name, withdraws nothing.)
        by_person: dict[str, list[Signatory]] = {}
        for e in entries:
            by_person.setdefault(self.person_of(e), []).append(e)
        groups = [g for g in by_person.values() if len(g) >= 2]
        if not groups:
            return
        group = data.draw(st.sampled_from(groups))
        src, dst = data.draw(
            st.lists(st.sampled_from(group), min_size=2, max_size=2, unique_by=lambda s: s.id)
        )
        after = self.decide(lambda sigs: merge(sigs, src.id, dst.id))
        if after is not None:
            self.gone.add(src.id)
            for fp in src.responses:
                self.home[fp] = dst.id
            (kept,) = [s for s in after if s.id == dst.id]
            if kept.status == "withdrawn":  # whatever was merged in is withdrawn with it
                self.clock += 1
                for fp in kept.responses:
                    self.withdrawn_fp.setdefault(fp, self.clock)

    def person_of(self, e: Signatory) -> str:
        """Which person (base name) an entry's responses are from; 'junk' for comments."""
        for fp in e.responses:
            row = self.history.get(fp)
            if row is not None:
                if row.name in JUNK:
                    return "junk"
                return next((b for b, vs in PEOPLE if row.name == b or row.name in vs), row.name)
        return e.id

    @rule(data=st.data(), name=st.sampled_from(["bell hooks", "Helen  Barker", "Dr. Ana Torres"]))
    def rename(self, data: st.DataObject, name: str) -> None:
        s = self.pick(data)
        if s is not None:
            self.decide(lambda sigs: rename(sigs, s.id, name))

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def what_apply_would_publish_keeps_the_promises(self) -> None:
        plan = make_plan(self.config)
        self.check(plan.signatories, plan)
        page = next((f.after for f in plan.files if f.role == "page"), None)
        if page is None:  # nothing new and nothing changed since the last apply: the page as it is
            page = (self.dir / "statement.html").read_text(encoding="utf-8")
        self.check_page(page, plan.signatories)

    def check_disk(self) -> None:
        page = (self.dir / "statement.html").read_text(encoding="utf-8")
        registry = self.registry()
        self.check(registry, None)
        self.check_page(page, registry)

    def check_page(self, page: str, signatories: tuple[Signatory, ...]) -> None:
        section = published_section(signatories)
        rendered = render_section(section, page_format(self.config, "statement.html"))
        assert replace_region(page, rendered, "page") == page, "the page is not the render of the registry"
        shown = [e.id for e in section.organizations + section.individuals]
        assert len(shown) == len(set(shown)), "an entry is on the page twice"

    def check(self, signatories: tuple[Signatory, ...], plan: Plan | None) -> None:
        if plan is not None:
            s = plan.summary
            assert s.responses == s.new + s.merged + s.held + s.rejected + s.unchanged
        # every response accounted for exactly once
        owner: dict[str, str] = {}
        for e in signatories:
            for fp in e.responses:
                assert fp not in owner, f"response {fp} is in {owner[fp]} and {e.id}"
                owner[fp] = e.id
        current = {fp for fp, r in self.history.items() if r in self.rows}
        assert current <= set(owner), "a response in the sheet is in no entry"
        # what took effect: every row seen by an apply, and the rows this plan reads
        seen = {fp: r for fp, r in self.history.items() if fp in self.applied or fp in current}
        # ids never change or get reused
        ids = {e.id for e in signatories}
        assert not ids & self.gone, "an id merged away came back"
        for fp, sid in owner.items():
            if fp in self.home and plan is None:
                assert self.home[fp] == sid, f"response {fp} moved from {self.home[fp]} to {sid}"
        if plan is None:  # applied: these ids are now taken for good
            new_ids = ids - self.ids_seen
            assert not new_ids & self.gone
            self.ids_seen |= ids
            self.home.update(owner)
        # declined and withdrawn signers are never on the page
        emails_on_page: dict[str, str] = {}
        for e in signatories:
            if e.status != "published":
                continue
            for fp in e.responses:
                assert self.withdrawn_fp.get(fp, -1) <= self.restored_fp.get(fp, -1), (
                    f"withdrawn entry {e.id} {e.name} on the page"
                )
                row = seen.get(fp)
                if row is None:
                    continue
                if not row.email or row.name in JUNK:
                    # no email, or a comment from a signer's address (a different name: a shared
                    # address cannot say it is theirs): this response's own answer counts
                    assert row.yes or self.approved_fp.get(fp, -1) > row.time, f"declined {row} on the page"
                    continue
                assert self.withdrawn_email.get(row.email, -1) <= self.restored_email.get(row.email, -1), (
                    f"withdrawn signer {row.email} on the page as {e.id} {e.name}"
                )
                # a blank consent answer gives no yes and takes none back (CHANGELOG 0.2.0): the
                # latest answer that says something counts, else the latest response
                answered = [r for r in seen.values() if r.email == row.email and r.name not in JUNK]
                latest = max([r for r in answered if r.consent.strip()] or answered, key=lambda r: r.time)
                assert latest.yes or self.approved_email.get(row.email, -1) > latest.time, (
                    f"{row.email} answered {latest.consent!r} last, yet {e.id} {e.name} is on the page"
                )
                if not e.decided:  # an editor may publish a signer twice; signsync never does
                    other = emails_on_page.setdefault(row.email, e.id)
                    assert other == e.id, f"{row.email} is on the page twice: {other} and {e.id}"


SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)


def test_responses_and_decisions_over_time() -> None:
    """Default run: modest (see the settings); SIGNSYNC_STATEFUL_EXAMPLES raises it."""
    examples = int(os.environ.get("SIGNSYNC_STATEFUL_EXAMPLES", "40"))
    run = Signsync.TestCase
    run.settings = settings(max_examples=examples, stateful_step_count=30, **SETTINGS)  # type: ignore[arg-type]
    run().runTest()


@pytest.mark.slow
def test_responses_and_decisions_over_time_longer() -> None:
    run = Signsync.TestCase
    run.settings = settings(max_examples=100, stateful_step_count=40, **SETTINGS)  # type: ignore[arg-type]
    run().runTest()
