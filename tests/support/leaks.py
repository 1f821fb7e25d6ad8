"""Find secrets in what signsync wrote or printed: `assert_no_secrets(texts, secrets)`.

`texts` maps a label (a file name, "stdout of plan --json") to its text; `secrets` are the
strings none of them may contain, compared case-insensitively. For an email address pass
`email_forms(address)`: every spelling of it that could leak. Other secrets (the hash key, a
service account's private key) are passed as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote

from sync.intake.responses import canonical_email


def email_forms(email: str) -> set[str]:
    """The address as typed, lowercased, canonical (ours and spelled out independently:
    no +tag, Gmail without dots) and percent-encoded."""
    typed = email.strip()
    low = typed.lower()
    local, _, domain = low.rpartition("@")
    untagged = local.split("+", 1)[0]
    forms = {typed, low, canonical_email(typed), f"{untagged}@{domain}"}
    if domain in ("gmail.com", "googlemail.com"):
        forms |= {f"{untagged.replace('.', '')}@gmail.com", f"{untagged.replace('.', '')}@googlemail.com"}
    forms |= {quote(f, safe="") for f in set(forms)}
    return {f for f in forms if "@" in f or "%40" in f}


def read_outputs(folder: Path, *, inputs: Iterable[str]) -> dict[str, str]:
    """Every file in `folder` (hidden ones too) except the named inputs, as text."""
    skip = set(inputs)
    return {
        p.name: p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in skip
    }


def assert_no_secrets(texts: Mapping[str, str], secrets: Iterable[str]) -> None:
    """Fail naming every (output, secret) pair where the secret appears."""
    wanted = sorted({s for s in secrets if s})
    assert wanted, "no secrets to look for: the check would prove nothing"
    found = [
        f"{label}: contains {secret!r}"
        for label, text in texts.items()
        for secret in wanted
        if secret.casefold() in text.casefold()
    ]
    assert not found, "secrets leaked:\n" + "\n".join(found)


def git_history(repo: Path) -> dict[str, str]:
    """Every version of every file in every commit of `repo` (all refs), and every commit
    message, as one text per commit: what anyone who clones the repository can read."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo, check=True, capture_output=True, text=True, errors="replace"
        ).stdout

    out = {}
    for commit in git("rev-list", "--all").split():
        files = git("ls-tree", "-r", "--name-only", commit).split("\n")
        texts = [git("show", f"{commit}:{name}") for name in files if name]
        out[f"commit {commit[:10]}"] = git("log", "-1", "--format=%B", commit) + "\n".join(texts)
    return out


def assert_absent(texts: Mapping[str, str], words: Iterable[str]) -> None:
    """Like `assert_no_secrets`, for people's names and what they typed."""
    assert_no_secrets(texts, words)
