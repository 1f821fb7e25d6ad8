"""Benchmark the whole pipeline against the local Sheets API emulator (a script, not a test).

    python bench/bench_pipeline.py                       # 10k, 100k and 1M responses
    python bench/bench_pipeline.py --sizes 10000 100000
    python bench/bench_pipeline.py --quick               # 10k only
    python bench/bench_pipeline.py --sizes 100000 --profile 100000   # + cProfile, top 15

For each size N the script builds a Google-Forms-like response sheet (Timestamp, Email Address,
Full name, Title and organization (optional), Signing as, I agree... = Yes) from
bench/bench_names.py's ``make_signatures`` (~3% injected duplicates) and serves it from a
``SheetsEmulator`` it starts in this process (127.0.0.1, port 0; stopped at the end), with a
service-account key it makes (RSA 2048). Then, each in a CHILD process, measuring wall time and
the child's peak RSS (``os.wait4`` rusage ``ru_maxrss``; see Launcher), the API requests by kind
and the bytes of the API answers (from the emulator's log):

- signsync full: ``python -m sync apply --yes`` on an empty registry;
- signsync incremental: 1% new rows appended to the sheet, ``apply --yes`` again;
- signsync no-op: ``apply --yes`` with nothing new;
- signsync incremental with ``--latency`` seconds (default 0.15) added by the emulator to
  every answer, as a stand-in for Google's real round trips (1% more rows appended first);
- naive full / naive incremental: bench/naive_sync.py (gspread ``get_all_records`` +
  ``rapidfuzz.process.extractOne`` against every published name). Quadratic, so capped: full
  and incremental at N <= 10k; at N <= 100k only the incremental run, from a names file
  pre-filled with the first N rows' distinct names (its full run would take hours); never
  above 100k. The table says what was skipped.

A child whose RSS passes ``--rss-cap-mb`` (default 8000) or runs past ``--timeout`` is killed
(the table says so): the machine may be shared. A 1M full run needs more than 8 GB today; give
``--rss-cap-mb 14000`` to let it finish.

"local" is wall time minus the seconds the emulator spent answering (arrival of each request to
the last byte of its answer written; signsync's requests are sequential). It still includes
Python start-up and imports (shown as "start-up": ``python -m sync --version``).

Names that all look alike (``--alike N``, default 20,000, before the sizes): ``plan`` over a CSV
of "Person Number1".."Person NumberN" (every name in one crowded fuzzy block), then over a CSV of N
realistic names; the first must take at most 3x the second. CPU seconds (the child's and its
workers', from ``wait4``) are shown beside wall time: they move less with the machine's other load.

Targets: incremental at 100k local < 1 s; >= 20x faster than naive at 100k
(incremental); 1M full run <= 60 s and < 1.5 GB; requests per run constant in the sheet's size.
Verdicts are printed as PASS/MISS; nothing here is tuned to pass.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_names import make_signatures  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from tests.support.sheets_emulator import SheetsEmulator  # noqa: E402

HEADERS = [
    "Timestamp",
    "Email Address",
    "Full name",
    "Title and organization (optional)",
    "Signing as",
    "I agree that my name may be published",
]
CLIENT_EMAIL = "signsync-bench@emulated.iam.gserviceaccount.com"
HASH_KEY = "bench-only-hash-key-0123456789abcdef"
NAIVE_FULL_MAX = 10_000
NAIVE_INCREMENTAL_MAX = 100_000
START = datetime(2026, 1, 5, 8, 0, 0)


@dataclass
class Run:
    """One measured child run."""

    label: str
    code: int = 0
    wall: float = 0.0
    api_seconds: float = 0.0
    peak_kib: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    answer_bytes: int = 0
    note: str = ""
    skipped: str = ""
    cpu: float = 0.0  # CPU seconds of the child and its workers (user + system)

    @property
    def local(self) -> float:
        return self.wall - self.api_seconds

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    def request_text(self) -> str:
        kinds = "/".join(str(self.requests.get(k, 0)) for k in ("token", "metadata", "values"))
        return f"{self.total_requests} ({kinds})"


# ---------------------------------------------------------------- the sheet


def form_rows(signatures: list[tuple[str, str, str, str]], first: int) -> list[list[str]]:
    """Response-sheet rows for signatures; ``first`` numbers the first one (timestamps)."""
    rows = []
    for i, (_id, name, affiliation, email) in enumerate(signatures, start=first):
        stamp = (START + timedelta(seconds=37 * i)).strftime("%m/%d/%Y %H:%M:%S")
        rows.append([stamp, f"{email}@example.org", name, affiliation, "An individual", "Yes"])
    return rows


def write_site(folder: Path, emulator: SheetsEmulator, key: str, max_listed: int = 0) -> Path:
    """A signsync site reading the emulated sheet: config, the example page. Returns config."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "examples" / "statement.html", folder / "statement.html")
    cfg = folder / "signsync.toml"
    cfg.write_text(
        f'[source]\nkind = "sheet"\nspreadsheet = "{key}"\napi_endpoint = "{emulator.url}"\n\n'
        "[columns]\n"
        f'timestamp = "{HEADERS[0]}"\nemail = "{HEADERS[1]}"\nname = "{HEADERS[2]}"\n'
        f'affiliation = "{HEADERS[3]}"\nkind = "{HEADERS[4]}"\nconsent = "{HEADERS[5]}"\n\n'
        '[registry]\npath = "signatories.csv"\n\n[page]\npath = "statement.html"\n'
        + (f"max_listed = {max_listed}\n" if max_listed else ""),
        encoding="utf-8",
    )
    return cfg


def write_csv_site(folder: Path, rows: list[list[str]], max_listed: int = 0) -> Path:
    """A signsync site reading the same responses from a CSV file (no sheet). Returns config."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "examples" / "statement.html", folder / "statement.html")
    with open(folder / "responses.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
    cfg = folder / "signsync.toml"
    cfg.write_text(
        '[source]\nkind = "csv"\npath = "responses.csv"\n\n[columns]\n'
        f'timestamp = "{HEADERS[0]}"\nemail = "{HEADERS[1]}"\nname = "{HEADERS[2]}"\n'
        f'affiliation = "{HEADERS[3]}"\nkind = "{HEADERS[4]}"\nconsent = "{HEADERS[5]}"\n\n'
        '[registry]\npath = "signatories.csv"\n\n[page]\npath = "statement.html"\n'
        + (f"max_listed = {max_listed}\n" if max_listed else ""),
        encoding="utf-8",
    )
    return cfg


def registry_files(site: Path) -> list[tuple[str, int]]:
    """The registry's files and their sizes in bytes."""
    return sorted((p.name, p.stat().st_size) for p in site.glob("signatories*.csv"))


# ---------------------------------------------------------------- child runs


# The children are started by a small launcher process, not by this one: Linux carries the
# RSS high-water mark of the process image an exec replaces into the new program's ru_maxrss,
# and subprocess starts children with vfork (the parent's memory), so a child started from
# this process (which holds the whole emulated sheet, GBs at 1M rows) would report this
# process's size as its peak. The launcher is a bare Python started before any big data.
LAUNCHER = r"""
import json, os, signal, subprocess, sys, threading, time

def watch(pid, job, killed, done):
    # Kill the child at the job's timeout or when its RSS passes the cap (a guard for the
    # shared machine; the table says so). Never waits for the child: wait4 must reap it.
    deadline = time.monotonic() + job["timeout"]
    while not done.wait(0.2):
        reason = "timeout" if time.monotonic() > deadline else ""
        try:
            with open(f"/proc/{pid}/status") as f:
                rss = next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
        except (OSError, ValueError):
            rss = 0
        if job["rss_cap_kib"] and rss > job["rss_cap_kib"]:
            reason = f"RSS cap {job['rss_cap_kib'] // 1024} MB"
        if reason and not done.is_set():
            killed.append(reason)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return

for line in sys.stdin:
    job = json.loads(line)
    killed, done = [], threading.Event()
    with open(job["log"], "ab") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(job["argv"], env=job["env"], cwd=job["cwd"], stdout=out,
                                stderr=out)
        watcher = threading.Thread(target=watch, args=(proc.pid, job, killed, done))
        watcher.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    print(json.dumps({"code": proc.returncode, "wall": wall, "maxrss": usage.ru_maxrss,
                      "cpu": usage.ru_utime + usage.ru_stime,
                      "killed": killed[0] if killed else ""}), flush=True)
"""


class Launcher:
    """A small process that runs each child and reports its exit code, wall time and peak
    RSS (``os.wait4``'s rusage ru_maxrss, KiB on Linux)."""

    def __init__(self) -> None:
        self.cpu = 0.0
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(
        self, argv: list[str], env: dict[str, str], cwd: Path, log: Path, timeout: float, rss_cap_mb: float
    ) -> tuple[int, float, int, str]:
        """(exit code, wall seconds, peak RSS KiB, why it was killed or "") of one child; its
        CPU seconds (its own and its worker processes', user and system) in `self.cpu`."""
        assert self.proc.stdin and self.proc.stdout
        job = {
            "argv": argv,
            "env": env,
            "cwd": str(cwd),
            "log": str(log),
            "timeout": timeout,
            "rss_cap_kib": int(rss_cap_mb * 1024),
        }
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        self.cpu = float(answer["cpu"])
        return answer["code"], answer["wall"], answer["maxrss"], answer["killed"]

    def close(self) -> None:
        """Let the launcher end (its stdin closes) and reap it."""
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run_child(
    label: str,
    argv: list[str],
    env: dict[str, str],
    cwd: Path,
    emulator: SheetsEmulator,
    launcher: Launcher,
    log: Path,
    timeout: float,
    rss_cap_mb: float,
) -> Run:
    """Run argv in a child; wall time, peak RSS (wait4), requests and answer bytes."""
    emulator.clear_log()
    with open(log, "ab") as out:
        out.write(f"\n==== {label}: {' '.join(argv)}\n".encode())
    code, wall, maxrss, killed = launcher.run(argv, env, cwd, log, timeout, rss_cap_mb)
    records = emulator.requests()
    run = Run(
        label,
        code,
        wall,
        sum(r.seconds for r in records),
        maxrss,
        Counter(r.kind for r in records),
        sum(r.bytes for r in records),
    )
    run.cpu = launcher.cpu
    if code != 0:
        run.note = f"exit {code}" + (f" (killed: {killed})" if killed else "") + f"; see {log}"
    return run


# ---------------------------------------------------------------- names that all look alike


def bench_alike(n: int, launcher: Launcher, work: Path, args: argparse.Namespace) -> list[Run]:
    """`plan` over a CSV of n names that all look alike ("Person Number1".."Person NumberN": one
    crowded fuzzy block) and over a CSV of n realistic names (bench_names), one after the other."""
    env = {**os.environ, "SIGNSYNC_HASH_KEY": HASH_KEY, "SIGNSYNC_CACHE_DIR": str(work / f"cache-alike-{n}")}
    log = work / f"children-alike-{n}.log"
    sites = {
        f"plan, {n:,} names that all look alike (CSV)": [
            (str(i), f"Person Number{i}", "", f"person{i}") for i in range(1, n + 1)
        ],
        f"plan, {n:,} realistic names (CSV)": make_signatures(n, seed=4),
    }
    runs = []
    for i, (label, signatures) in enumerate(sites.items()):
        site = work / f"alike-{n}-{i}"
        cfg = write_csv_site(site, form_rows(signatures, 0), args.max_listed)
        argv = [sys.executable, "-m", "sync", "plan", "--no-diff", "--config", str(cfg)]
        print(f"[alike {n:,}] {label} ...", file=sys.stderr)
        with open(log, "ab") as out:
            out.write(f"\n==== {label}: {' '.join(argv)}\n".encode())
        code, wall, maxrss, killed = launcher.run(argv, env, site, log, args.timeout, args.rss_cap_mb)
        run = Run(label, 0 if code == 2 else code, wall, 0.0, maxrss, cpu=launcher.cpu)  # 2: changes pending
        if run.code:
            run.note = f"exit {code}" + (f" (killed: {killed})" if killed else "") + f"; see {log}"
        print(
            f"[alike {n:,}] {label}: {wall:.2f} s wall, {run.cpu:.2f} s CPU, {maxrss / 1024:.0f} MB",
            file=sys.stderr,
        )
        runs.append(run)
    return runs


def alike_summary(runs: list[Run]) -> str:
    """The alike-names table and its verdict: within 3x of the realistic names."""
    lines = [
        "### Names that all look alike",
        "",
        "| run | wall s | CPU s | peak RSS MB | note |",
        "|---|---:|---:|---:|---|",
    ]
    for r in runs:
        lines.append(f"| {r.label} | {r.wall:.2f} | {r.cpu:.2f} | {r.peak_kib / 1024:,.0f} | {r.note} |")
    alike, real = runs
    if alike.code or real.code:
        lines += ["", "- alike names within 3x of realistic ones: n/a (a run failed)"]
    else:
        wall, cpu = alike.wall / real.wall, alike.cpu / real.cpu
        lines += [
            "",
            f"- alike names within 3x of realistic ones (wall): {verdict(wall <= 3)} ({wall:.2f}x; "
            f"CPU {cpu:.2f}x, less sensitive to the machine's other load)",
        ]
    return "\n".join(lines)


def append(emulator: SheetsEmulator, key: str, rows: list[list[str]]) -> None:
    """Append form rows to the emulated response tab, as the form does."""
    with emulator.lock:
        emulator.spreadsheets[key].sheet().append_rows(rows)


# ---------------------------------------------------------------- one size


@dataclass
class SizeResult:
    """Everything measured at one size."""

    n: int
    runs: list[Run]
    profile: str = ""
    registry: list[tuple[str, int]] = field(default_factory=list)  # after the last run
    cache_bytes: int = 0

    def get(self, label: str) -> Run | None:
        for run in self.runs:
            if run.label == label and not run.skipped:
                return run
        return None


def bench_size(
    n: int, emulator: SheetsEmulator, launcher: Launcher, key_path: Path, work: Path, args: argparse.Namespace
) -> SizeResult:
    """All runs at one size; the spreadsheet is dropped from the emulator afterwards."""
    step = max(1, n // 100)
    extra_batches = 3  # incremental, latency run, profile run
    print(f"[{n:,}] generating {n + extra_batches * step:,} signatures ...", file=sys.stderr)
    signatures = make_signatures(n + extra_batches * step, seed=4)
    batches = [signatures[n + i * step : n + (i + 1) * step] for i in range(extra_batches)]
    key = f"bench-sheet-{n}"
    book = emulator.add_spreadsheet(key, f"Statement responses ({n:,})", sheets=[])
    book.add_sheet("Form Responses 1", [HEADERS, *form_rows(signatures[:n], 0)], frozen_rows=1)

    site = work / f"signsync-{n}"
    cfg = write_site(site, emulator, key, args.max_listed)
    env = {
        **os.environ,
        "GOOGLE_APPLICATION_CREDENTIALS": str(key_path),
        "SIGNSYNC_HASH_KEY": HASH_KEY,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    env.pop("SIGNSYNC_SERVICE_ACCOUNT_JSON", None)
    env["SIGNSYNC_CACHE_DIR"] = str(work / f"cache-{n}")
    log = work / f"children-{n}.log"
    apply = [sys.executable, "-m", "sync", "apply", "--yes", "--config", str(cfg)]
    naive_dir = work / f"naive-{n}"
    naive_dir.mkdir(exist_ok=True)
    naive = [
        sys.executable,
        str(ROOT / "bench" / "naive_sync.py"),
        "--key",
        str(key_path),
        "--spreadsheet",
        key,
        "--names",
        str(naive_dir / "names.json"),
        "--page",
        str(naive_dir / "page.html"),
        "--api-endpoint",
        emulator.url,
    ]

    def child(label: str, argv: list[str], cwd: Path) -> Run:
        print(f"[{n:,}] {label} ...", file=sys.stderr)
        run = run_child(label, argv, env, cwd, emulator, launcher, log, args.timeout, args.rss_cap_mb)
        print(
            f"[{n:,}] {label}: {run.wall:.2f} s wall, {run.local:.2f} s local, "
            f"{run.peak_kib / 1024:.0f} MB, {run.request_text()} requests {run.note}",
            file=sys.stderr,
        )
        return run

    runs = [child("start-up (signsync --version)", [sys.executable, "-m", "sync", "--version"], site)]
    runs.append(child("signsync full", apply, site))
    if n <= NAIVE_FULL_MAX and not args.no_naive:
        runs.append(child("naive full", naive, naive_dir))
    else:
        runs.append(
            Run(
                "naive full",
                skipped=(
                    "not run: quadratic, hours at this size"
                    if n <= NAIVE_INCREMENTAL_MAX
                    else "not run: quadratic (days at this size)"
                )
                if not args.no_naive
                else "not run (--no-naive)",
            )
        )

    append(emulator, key, form_rows(batches[0], n))
    runs.append(child(f"signsync incremental (+{step:,})", apply, site))
    if n <= NAIVE_INCREMENTAL_MAX and not args.no_naive:
        note = ""
        if n > NAIVE_FULL_MAX:
            # Pre-fill the published names with the first n rows' distinct names, as if its
            # (hours-long) first run had published every one of them.
            distinct = list(dict.fromkeys(" ".join(s[1].split()) for s in signatures[:n]))
            (naive_dir / "names.json").write_text(json.dumps(distinct, ensure_ascii=False), encoding="utf-8")
            note = f"names file pre-filled with {len(distinct):,} names"
        run = child(f"naive incremental (+{step:,})", naive, naive_dir)
        run.note = run.note or note
        runs.append(run)
    else:
        runs.append(
            Run(
                f"naive incremental (+{step:,})",
                skipped="not run: quadratic" if not args.no_naive else "not run (--no-naive)",
            )
        )
    runs.append(child("signsync no-op (nothing new)", apply, site))

    if args.latency > 0:
        append(emulator, key, form_rows(batches[1], n + step))
        emulator.latency = args.latency
        try:
            run = child(
                f"signsync incremental (+{step:,}), +{args.latency * 1000:.0f} ms/request", apply, site
            )
        finally:
            emulator.latency = 0.0
        runs.append(run)

    result = SizeResult(n, runs)
    result.registry = registry_files(site)
    result.cache_bytes = sum(p.stat().st_size for p in (work / f"cache-{n}").glob("*"))
    if n in args.csv_plan:
        csv_site = work / f"csv-{n}"
        write_csv_site(csv_site, form_rows(signatures[:n], 0), args.max_listed)
        plan = [
            sys.executable,
            "-m",
            "sync",
            "plan",
            "--no-diff",
            "--config",
            str(csv_site / "signsync.toml"),
        ]
        run = child("signsync plan, CSV source, full (no sheet)", plan, csv_site)
        if run.code == 2:  # plan's "changes pending"
            run.code, run.note = 0, ""
        runs.append(run)
        # The CSV source's own cursor: a full apply, then the file saved again with 1% more
        # responses at its end (as a new export of the form is), then nothing new.
        apply_csv = [
            sys.executable,
            "-m",
            "sync",
            "apply",
            "--yes",
            "--config",
            str(csv_site / "signsync.toml"),
        ]
        runs.append(child("signsync apply, CSV source, full", apply_csv, csv_site))
        with open(csv_site / "responses.csv", "a", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(form_rows(batches[0], n))
        runs.append(
            child(f"signsync apply, CSV source, +{step:,} (the file saved again)", apply_csv, csv_site)
        )
        runs.append(child("signsync apply, CSV source, nothing new", apply_csv, csv_site))
    if n in args.profile:
        append(emulator, key, form_rows(batches[2], n + 2 * step))
        prof = work / f"incremental-{n}.prof"
        argv = [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "sync",
            "apply",
            "--yes",
            "--config",
            str(cfg),
        ]
        run = child(f"signsync incremental (+{step:,}) under cProfile", argv, site)
        if prof.exists():
            text = io.StringIO()
            stats = pstats.Stats(str(prof), stream=text)
            stats.sort_stats("cumulative").print_stats(15)
            text.write(
                "\n---- the same profile, signsync's own functions (sync/, render/), "
                "top 25 by cumulative time\n"
            )
            stats.print_stats(r"/(sync|render)/", 25)
            text.write("\n---- the same profile, top 15 by own time (tottime)\n")
            stats.sort_stats("tottime").print_stats(15)
            result.profile = (
                f"cProfile of `signsync apply --yes`, incremental +{step:,} on "
                f"{n:,} ({run.wall:.2f} s wall under the profiler):\n" + text.getvalue().strip()
            )
    with emulator.lock:
        del emulator.spreadsheets[key]
    return result


# ---------------------------------------------------------------- printing


def size_table(result: SizeResult) -> str:
    """One Markdown table for one size."""
    lines = [
        f"### {result.n:,} responses",
        "",
        "| run | wall s | API answering s | local s | CPU s | cores busy | peak RSS MB | requests (token/"
        "metadata/values) | answer bytes | note |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for r in result.runs:
        if r.skipped:
            lines.append(f"| {r.label} | – | – | – | – | – | – | – | – | {r.skipped} |")
            continue
        lines.append(
            f"| {r.label} | {r.wall:.2f} | {r.api_seconds:.2f} | {r.local:.2f} | {r.cpu:.2f} | "
            f"{r.cpu / r.local if r.local > 0 else 0:.2f} | "
            f"{r.peak_kib / 1024:,.0f} | {r.request_text()} | {r.answer_bytes:,} | "
            f"{r.note} |"
        )
    return "\n".join(lines)


def verdict(ok: bool | None) -> str:
    return "n/a (not measured)" if ok is None else ("PASS" if ok else "MISS")


def summary(results: list[SizeResult]) -> str:
    """Ratios and targets."""
    out = ["### Ratios", ""]
    by_n = {r.n: r for r in results}

    def incr(res: SizeResult, who: str) -> Run | None:
        for run in res.runs:
            if (
                run.label.startswith(f"{who} incremental (+")
                and "ms/request" not in run.label
                and "cProfile" not in run.label
                and not run.skipped
            ):
                return run
        return None

    ratio_100k: float | None = None
    for res in results:
        s, nv = incr(res, "signsync"), incr(res, "naive")
        if s and nv and s.code == 0 and nv.code == 0:
            ratio = nv.wall / s.wall
            out.append(
                f"- naive / signsync, incremental at {res.n:,}: wall {ratio:.1f}x "
                f"({nv.wall:.2f} s / {s.wall:.2f} s); local {nv.local / s.local:.1f}x "
                f"({nv.local:.2f} s / {s.local:.2f} s)"
            )
            if res.n == 100_000:
                ratio_100k = ratio
        elif s:
            out.append(f"- naive / signsync, incremental at {res.n:,}: naive not run")
    out.append("")
    out.append(
        "| size | full: requests | incremental: requests | no-op: requests | "
        "full peak RSS MB | incremental peak RSS MB |"
    )
    out.append("|---:|---|---|---|---:|---:|")
    for res in results:
        full, inc, noop = res.get("signsync full"), incr(res, "signsync"), None
        for run in res.runs:
            if run.label.startswith("signsync no-op"):
                noop = run

        def req(run: Run | None) -> str:
            return run.request_text() if run else "–"

        def mb(run: Run | None) -> str:
            return f"{run.peak_kib / 1024:,.0f}" if run else "–"

        out.append(f"| {res.n:,} | {req(full)} | {req(inc)} | {req(noop)} | {mb(full)} | {mb(inc)} |")

    out += ["", "### Registry files after the last run", ""]
    for res in results:
        if res.registry:
            largest = max(res.registry, key=lambda f: f[1])
            total = sum(size for _n, size in res.registry)
            out.append(
                f"- {res.n:,}: {len(res.registry)} file(s), {total / 1e6:,.1f} MB in all, largest "
                f"{largest[0]} {largest[1] / 1e6:,.1f} MB; "
                f"cache {res.cache_bytes / 1e6:,.1f} MB (not committed)"
            )

    out += ["", "### Where one core is the limit", ""]
    out.append(
        "Runs of more than 2 s whose CPU seconds (their own and their workers') stay under 1.3x "
        "their local seconds used about one core: the sequential part bounds them. On a busy "
        "machine (see the load average above) every run looks so: read them on a quiet one."
    )
    out.append("")
    for res in results:
        for run in res.runs:
            if run.skipped or run.code or run.local <= 2 or "naive" in run.label:
                continue
            busy = run.cpu / run.local
            where = "one core" if busy < 1.3 else f"{busy:.1f} cores"
            out.append(f"- {res.n:,}, {run.label}: {run.local:.1f} s local, {run.cpu:.1f} s CPU: {where}")

    out += ["", "### Targets", ""]

    def line(what: str, run: Run | None, wall: float | None, mb: float | None, local: bool = False) -> None:
        if run is None or run.skipped:
            out.append(f"- {what}: n/a (not run)")
            return
        ok = run.code == 0
        seconds = run.local if local else run.wall
        parts = []
        if wall is not None:
            ok = ok and seconds <= wall
            parts.append(f"{seconds:.2f} s {'local' if local else 'wall'} (<= {wall:g} s)")
        if mb is not None:
            ok = ok and run.peak_kib / 1024 <= mb
            parts.append(f"{run.peak_kib / 1024:,.0f} MB peak (<= {mb:,.0f} MB)")
        if run.code != 0:
            parts.append(run.note)
        out.append(f"- {what}: {verdict(ok)} ({', '.join(parts)})")

    def noop(res: SizeResult | None) -> Run | None:
        return next((r for r in res.runs if r.label.startswith("signsync no-op")), None) if res else None

    r1m = by_n.get(1_000_000)
    line("1M full first run <= 60 s, <= 1.5 GB", r1m.get("signsync full") if r1m else None, 60, 1536)
    line("1M nothing new <= 2 s, <= 300 MB", noop(r1m), 2, 300)
    line("1M with 10,000 new <= 6 s, <= 1.5 GB", incr(r1m, "signsync") if r1m else None, 6, 1536)
    r100 = by_n.get(100_000)
    inc100 = incr(r100, "signsync") if r100 else None
    line("100k with 1,000 new <= 1 s local", inc100, 1, None, local=True)
    out.append(
        f"- 100k with 1,000 new >= 20x faster than the naive script (wall): "
        f"{verdict(ratio_100k >= 20 if ratio_100k is not None else None)}"
        + (f" ({ratio_100k:.1f}x)" if ratio_100k is not None else "")
    )
    if r1m and r1m.registry:
        largest = max(size for _n, size in r1m.registry)
        out.append(
            f"- no registry file over 50 MB at 1M: {verdict(largest <= 50e6)} "
            f"(largest {largest / 1e6:.1f} MB)"
        )
    else:
        out.append("- no registry file over 50 MB at 1M: n/a (1M not run)")
    for res in results:
        csv_run = next((r for r in res.runs if r.label.startswith("signsync plan, CSV")), None)
        if csv_run is not None:
            what = f"CSV source through plan at {res.n:,} (full)"
            if res.n >= 1_000_000:
                line(what + " <= 60 s, <= 1.5 GB", csv_run, 60, 1536)
            elif not csv_run.skipped:  # the target is at 1M; smaller sizes are for reference
                out.append(
                    f"- {what}: {csv_run.wall:.2f} s wall, {csv_run.peak_kib / 1024:,.0f} MB peak "
                    "(for reference: the target is at 1M)" + (f"; {csv_run.note}" if csv_run.code else "")
                )
    for res in results:
        csv_full = res.get("signsync apply, CSV source, full")
        csv_inc = next((r for r in res.runs if r.label.startswith("signsync apply, CSV source, +")), None)
        csv_noop = res.get("signsync apply, CSV source, nothing new")
        if csv_full and csv_inc and not (csv_full.code or csv_inc.code):
            ratio = csv_inc.wall / csv_full.wall
            out.append(
                f"- CSV source at {res.n:,}: +1% run / full run <= 0.10: {verdict(ratio <= 0.10)} "
                f"({csv_inc.wall:.2f} s / {csv_full.wall:.2f} s = {ratio:.3f})"
            )
        if csv_noop and not csv_noop.code:
            out.append(
                f"- CSV source at {res.n:,}, nothing new: {csv_noop.wall:.2f} s wall, "
                f"{csv_noop.peak_kib / 1024:,.0f} MB peak (for reference)"
            )
    startups = [(res.n, res.get("start-up (signsync --version)")) for res in results]
    shown = [f"{run.wall:.2f} s at {n:,}" for n, run in startups if run and not run.code]
    if shown:
        best = min(run.wall for _n, run in startups if run and not run.code)
        out.append(
            f"- start-up (`signsync --version`) <= 0.10 s: {verdict(best <= 0.10)} ({', '.join(shown)})"
        )
    for res in results:
        full = res.get("signsync full")
        if full is not None:
            reads = full.requests.get("metadata", 0) + full.requests.get("values", 0)
            out.append(
                f"- full read of {res.n:,} rows under 60 read requests a minute: "
                f"{verdict(reads < 60 and full.code == 0)} "
                f"({reads} read requests in {full.wall:.0f} s)"
            )
    for what in ("incremental", "signsync no-op"):
        counts = []
        for res in results:
            run = incr(res, "signsync") if what == "incremental" else noop(res)
            if run:
                counts.append((res.n, run.total_requests))
        shown = ", ".join(f"{c} at {n:,}" for n, c in counts)
        out.append(
            f"- 3 requests per {what} run: "
            f"{verdict(bool(counts) and all(c == 3 for _n, c in counts))} ({shown})"
        )
    return "\n".join(out)


# ---------------------------------------------------------------- main


def _commit() -> str:
    if os.environ.get("SIGNSYNC_BENCH_COMMIT"):  # a copy of the tree without .git
        return os.environ["SIGNSYNC_BENCH_COMMIT"]
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "sync", "render"],
            capture_output=True,
            text=True,
        )
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    """Parse options, start the emulator, run every size, print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--quick", action="store_true", help="10k only")
    ap.add_argument(
        "--latency",
        type=float,
        default=0.15,
        help="seconds the emulator adds per request in the latency run (0: skip)",
    )
    ap.add_argument(
        "--profile",
        type=int,
        nargs="*",
        default=[],
        help="sizes at which to also profile an incremental run (cProfile, top 15)",
    )
    ap.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    ap.add_argument(
        "--max-listed",
        type=int,
        default=1000,
        help="[page] max_listed of the benchmark's site (0: list everyone on the page)",
    )
    ap.add_argument(
        "--csv-plan",
        type=int,
        nargs="*",
        default=[100_000],
        help="sizes at which to also run `plan` over a CSV of the same responses (no sheet)",
    )
    ap.add_argument(
        "--alike",
        type=int,
        default=20_000,
        help="names in the alike-names runs: `plan` over 'Person Number1'..N, then as many "
        "realistic names (0: skip)",
    )
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per child run")
    ap.add_argument(
        "--rss-cap-mb",
        type=float,
        default=8000,
        help="kill a child whose RSS passes this (0: no cap); protects a shared box",
    )
    ap.add_argument("--workdir", type=Path, help="keep the sites here (default: a temp dir)")
    args = ap.parse_args()
    sizes = [10_000] if args.quick else args.sizes

    work = args.workdir or Path(tempfile.mkdtemp(prefix="signsync-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # Measure signsync as installed: pip writes its bytecode at install time. A shell that sets
    # PYTHONDONTWRITEBYTECODE (some CI and sandbox images do) would make every child recompile
    # every module it imports, a third of a short run's start-up.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "sync"), quiet=1)
    load_start = " / ".join(f"{a:.1f}" for a in os.getloadavg())
    launcher = Launcher()  # first, while this process is small
    emulator = SheetsEmulator("127.0.0.1", 0).start()
    results = []
    try:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_path = work / "service-account.json"
        key_path.write_text(json.dumps(emulator.make_service_account(CLIENT_EMAIL, key)))
        key_path.chmod(0o600)
        alike = bench_alike(args.alike, launcher, work, args) if args.alike else []
        for n in sizes:
            results.append(bench_size(n, emulator, launcher, key_path, work, args))
            print(size_table(results[-1]), file=sys.stderr)
    finally:
        emulator.stop()
        launcher.close()
    load = " / ".join(f"{a:.1f}" for a in os.getloadavg())
    print(
        f"signsync pipeline benchmark at commit {_commit()}; [page] max_listed = {args.max_listed}; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} "
        f"CPUs; load average at start {load_start}, at end {load} (the machine is shared: "
        f"compare within one run); emulator at 127.0.0.1; work dir {work}\n"
    )
    for res in results:
        print(size_table(res) + "\n")
    print(summary(results))
    if alike:
        print("\n" + alike_summary(alike))
    for res in results:
        if res.profile:
            print("\n```\n" + res.profile + "\n```")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
