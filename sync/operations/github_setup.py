"""What `signsync doctor` can check of the GitHub side of a set-up (docs/setup.md, step 2).

From the repository's files: each workflow that runs signsync grants its token what its jobs
need (`contents: write` to push, `pull-requests: write` to open or comment on the review pull
request), and every secret it uses is one the set-up checklist names (or is said to be the
campaign's own). With `GITHUB_TOKEN` and `GITHUB_REPOSITORY` set, from GitHub's REST API (at
`GITHUB_API_URL`, default https://api.github.com, as GitHub Actions sets it): the repository's
"Allow GitHub Actions to create and approve pull requests" setting, and that the secrets this
set-up needs exist. What the API cannot answer (no access, no network) is a warning saying
why, never a failure: the files' checks still stand.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.config import HASH_KEY_VAR, Config
from sync.operations.checks import Check, finding

# The secrets docs/setup.md's checklist tells a campaign to add, and when each is needed
# (a test keeps this list and the checklist in step).
CHECKLIST_SECRETS: dict[str, str] = {
    HASH_KEY_VAR: "always",
    "SIGNSYNC_SERVICE_ACCOUNT_JSON": "sheet",
    "SIGNSYNC_WP_USER": "wordpress",
    "SIGNSYNC_WP_APP_PASSWORD": "wordpress",
}
SECRETS_CLICKS = "Settings > Secrets and variables > Actions > New repository secret"
PR_SETTING = (
    "Settings > Actions > General > Workflow permissions > tick 'Allow GitHub Actions to create and "
    "approve pull requests' > Save"
)
DEFAULT_API = "https://api.github.com"
TIMEOUT_SECONDS = 15


# --- the workflow files --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Job:
    name: str
    text: str  # the job's lines
    permissions: dict[str, str] | str | None  # its own block (None: the workflow's applies)


def workflow_root(base_dir: Path) -> Path | None:
    """The folder whose `.github/workflows` holds the site's workflows: the config's folder or
    the nearest above it, up to the repository's top (the folder holding `.git`)."""
    for folder in (base_dir, *base_dir.parents):
        if (folder / ".github" / "workflows").is_dir():
            return folder
        if (folder / ".git").exists():
            return None
    return None


def signsync_workflows(root: Path) -> list[Path]:
    """The workflow files that run signsync."""
    found = []
    for path in sorted((root / ".github" / "workflows").glob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"\bsignsync\b", _without_comments(text)):
            found.append(path)
    return found


def _without_comments(text: str) -> str:
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _permissions_at(lines: list[str], i: int) -> dict[str, str] | str:
    """The `permissions:` value on line i: a word (write-all, read-all), or the mapping below."""
    inline = lines[i].split(":", 1)[1].strip()
    if inline.startswith("{"):
        pairs = (p.split(":", 1) for p in inline.strip("{} ").split(",") if ":" in p)
        return {k.strip(): v.strip() for k, v in pairs}
    if inline:
        return inline
    out: dict[str, str] = {}
    for line in lines[i + 1 :]:
        if not line.strip():
            continue
        if _indent(line) <= _indent(lines[i]):
            break
        key, _, value = line.strip().partition(":")
        out[key.strip()] = value.strip()
    return out


def _read_workflow(text: str) -> tuple[dict[str, str] | str | None, list[_Job]]:
    """The workflow's own `permissions` and its jobs (each with its own block, if any)."""
    lines = [line for line in _without_comments(text).splitlines() if line.strip()]
    top: dict[str, str] | str | None = None
    jobs: list[_Job] = []
    in_jobs = False
    job_indent = -1
    starts: list[tuple[str, int]] = []
    for i, line in enumerate(lines):
        if _indent(line) == 0:
            in_jobs = line.startswith("jobs:")
            if line.startswith("permissions:"):
                top = _permissions_at(lines, i)
            continue
        if in_jobs and (job_indent < 0 or _indent(line) == job_indent) and line.rstrip().endswith(":"):
            job_indent = _indent(line)
            starts.append((line.strip().rstrip(":"), i))
    for n, (name, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(lines)
        end = next((j for j in range(start + 1, end) if _indent(lines[j]) == 0), end)
        own = next(
            (
                _permissions_at(lines, j)
                for j in range(start + 1, end)
                if _indent(lines[j]) == job_indent + 2 and lines[j].strip().startswith("permissions:")
            ),
            None,
        )
        jobs.append(_Job(name, "\n".join(lines[start:end]), own))
    return top, jobs


def _needs(job_text: str) -> list[str]:
    """The token permissions a job's steps need to write."""
    needs = []
    if "create-pull-request" in job_text or "git push" in job_text:
        needs.append("contents")
    if "create-pull-request" in job_text or re.search(r"\bgh pr\b", job_text):
        needs.append("pull-requests")
    return needs


def _grants(perms: dict[str, str] | str | None, scope: str) -> bool:
    if isinstance(perms, str):
        return perms == "write-all"
    return perms is not None and perms.get(scope) == "write"


def permission_findings(root: Path, workflows: list[Path]) -> list[Check]:
    """Each signsync workflow's jobs have the token permissions their steps need."""
    out = []
    for path in workflows:
        where = str(path.relative_to(root))
        top, jobs = _read_workflow(path.read_text(encoding="utf-8", errors="replace"))
        missing = []
        for job in jobs:
            perms = job.permissions if job.permissions is not None else top
            lacking = [scope for scope in _needs(job.text) if not _grants(perms, scope)]
            if lacking:
                missing.append(f"job '{job.name}' needs {', '.join(f'{s}: write' for s in lacking)}")
        if missing:
            unset = top is None and all(j.permissions is None for j in jobs)
            out.append(
                finding(
                    "workflow permissions",
                    "fail",
                    f"{where}: {'; '.join(missing)}"
                    + (
                        " (it sets no permissions: its token gets the repository's default, read-only for "
                        "repositories made since 2023)"
                        if unset
                        else ""
                    ),
                    "add to the workflow (or the job): `permissions:` with `contents: write` and "
                    "`pull-requests: write`, as examples/github/signsync.yml has",
                )
            )
        else:
            out.append(finding("workflow permissions", "ok", f"{where}: its jobs may write what they need"))
    return out


def used_secrets(workflows: list[Path]) -> dict[str, list[str]]:
    """Secret name -> the workflow files that use it (GITHUB_TOKEN left out: GitHub makes it)."""
    used: dict[str, list[str]] = {}
    for path in workflows:
        text = _without_comments(path.read_text(encoding="utf-8", errors="replace"))
        for name in dict.fromkeys(re.findall(r"\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)", text)):
            if name != "GITHUB_TOKEN":
                used.setdefault(name, []).append(path.name)
    return used


def needed_secrets(cfg: Config) -> list[str]:
    """The checklist's secrets this set-up needs (its source and its target decide)."""
    when = {"always", cfg.source.kind}
    if cfg.publish.target == "wordpress":
        when.add("wordpress")
    return [name for name, need in CHECKLIST_SECRETS.items() if need in when]


def secret_findings(used: Mapping[str, list[str]]) -> list[Check]:
    """Every secret a workflow uses is one the set-up checklist names (else: a warning)."""
    unknown = {name: files for name, files in used.items() if name not in CHECKLIST_SECRETS}
    if not unknown:
        return [
            finding(
                "workflow secrets",
                "ok",
                f"{', '.join(sorted(used)) or 'none'}: each named in the set-up checklist (docs/setup.md)",
            )
        ]
    return [
        finding(
            "workflow secrets",
            "warn",
            f"{name} (used by {', '.join(files)}) is not one of the set-up checklist's secrets "
            f"({', '.join(CHECKLIST_SECRETS)})",
            f"if it is yours, add it: {SECRETS_CLICKS}; if it is a typo, correct the workflow",
        )
        for name, files in sorted(unknown.items())
    ]


# --- GitHub's API --------------------------------------------------------------------------


class _ApiProblem(Exception):
    """What GitHub's API could not answer, in words for a warning."""


def _get(api: str, token: str, path: str) -> Any:
    request = urllib.request.Request(
        f"{api.rstrip('/')}{path}",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "signsync-doctor",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            body = answer.read()
    except urllib.error.HTTPError as e:
        raise _ApiProblem(_http_problem(e, path)) from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise _ApiProblem(f"{api} could not be reached ({reason})") from None
    try:
        return json.loads(body)
    except ValueError:
        raise _ApiProblem(f"{api}{path} answered something that is not JSON") from None


def _http_problem(e: urllib.error.HTTPError, path: str) -> str:
    try:
        message = str(json.loads(e.read() or b"{}").get("message", "")).strip()
    except (ValueError, AttributeError, OSError):
        message = ""
    said = f" ({message})" if message else ""
    if e.code == 401:
        return f"GitHub refused GITHUB_TOKEN: 401{said}; it is wrong or expired"
    if e.code == 403:
        return (
            f"GITHUB_TOKEN may not read {path}: 403{said}; reading it needs a token of a repository "
            "admin (a fine-grained token with Administration: Read and Secrets: Read), which the "
            "workflow's own token is not"
        )
    if e.code == 404:
        return (
            f"GitHub answers 404{said} for {path}: GITHUB_REPOSITORY is not OWNER/NAME of a repository "
            "this token can see"
        )
    return f"GitHub answered {e.code}{said} for {path}"


def _secret_names(api: str, token: str, repo: str) -> set[str]:
    names: set[str] = set()
    for page in range(1, 11):  # 100 per page: a campaign has a handful
        doc = _get(api, token, f"/repos/{repo}/actions/secrets?per_page=100&page={page}")
        batch = doc.get("secrets") if isinstance(doc, dict) else None
        if not isinstance(batch, list):
            raise _ApiProblem(f"the secrets list of {repo} has no 'secrets' field")
        names.update(str(s.get("name", "")) for s in batch if isinstance(s, dict))
        if len(batch) < 100 or len(names) >= int(doc.get("total_count", 0) or 0):
            break
    return names


def api_findings(env: Mapping[str, str], needed: list[str], used: Mapping[str, list[str]]) -> Iterator[Check]:
    """The repository's settings from GitHub's API, when GITHUB_TOKEN and GITHUB_REPOSITORY are set."""
    token, repo = env.get("GITHUB_TOKEN", "").strip(), env.get("GITHUB_REPOSITORY", "").strip()
    if not token or not repo:
        yield finding(
            "github settings",
            "ok",
            "not checked (set GITHUB_TOKEN and GITHUB_REPOSITORY=OWNER/NAME to check the repository's "
            "Actions permission and secrets)",
        )
        return
    api = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        yield finding(
            "github settings", "warn", f"GITHUB_REPOSITORY = {repo!r} is not OWNER/NAME", "set it so"
        )
        return
    try:
        doc = _get(api, token, f"/repos/{repo}/actions/permissions/workflow")
        allowed = doc.get("can_approve_pull_request_reviews") if isinstance(doc, dict) else None
        if allowed is True:
            yield finding("pull request permission", "ok", f"{repo}: GitHub Actions may create pull requests")
        elif allowed is False:
            yield finding(
                "pull request permission",
                "fail",
                f"{repo}: GitHub Actions may not create pull requests, so the workflow's review pull "
                "request cannot be opened",
                PR_SETTING,
            )
        else:
            yield finding("pull request permission", "warn", f"{repo}: GitHub's answer has no such setting")
    except _ApiProblem as e:
        yield finding("pull request permission", "warn", f"not checked: {e}", PR_SETTING + " (check by hand)")
    try:
        present = _secret_names(api, token, repo)
    except _ApiProblem as e:
        yield finding("repository secrets", "warn", f"not checked: {e}", f"{SECRETS_CLICKS} (check by hand)")
        return
    wanted = list(dict.fromkeys([*needed, *(n for n in used if n not in CHECKLIST_SECRETS)]))
    missing = [n for n in wanted if n not in present]
    if missing:
        yield finding(
            "repository secrets",
            "fail",
            f"{repo} lacks {', '.join(missing)}",
            f"{SECRETS_CLICKS}, once for each (docs/setup.md says what each holds)",
        )
    else:
        yield finding("repository secrets", "ok", f"{repo} has {', '.join(wanted)}")


def github_findings(cfg: Config, env: Mapping[str, str]) -> list[Check]:
    """Doctor's GitHub checks for this set-up (none when no workflow runs signsync and no
    repository is named)."""
    root = workflow_root(cfg.base_dir)
    workflows = signsync_workflows(root) if root is not None else []
    if not workflows and not (env.get("GITHUB_TOKEN") and env.get("GITHUB_REPOSITORY")):
        return [finding("github workflow", "ok", "none runs signsync here (a server's cron, or by hand)")]
    found: list[Check] = []
    if root is not None:
        found += permission_findings(root, workflows)
    used = used_secrets(workflows)
    if workflows:
        found += secret_findings(used)
    found += api_findings(env, needed_secrets(cfg), used)
    return found
