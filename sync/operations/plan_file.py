"""A plan as JSON: printed (`plan --json`), saved (`plan --out`) and loaded again (`apply PLANFILE`),
bound to the config it was made with."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync.config import Config
from sync.errors import StalePlanError
from sync.model import Change, FileChange, Plan, Signatory, Summary
from sync.publish.listing import display_order
from sync.support.files import atomic_write_text, decode_utf8, file_digest, read_bytes_or_none

PLAN_VERSION = 1


def signatory_json(s: Signatory) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "affiliation": s.affiliation,
        "kind": s.kind,
        "status": s.status,
        "flags": list(s.flags),
        "responses": list(s.responses),
        "reason": s.reason,
        "private": s.sealed,
        "confirmed": s.confirmed,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    """The documented JSON object other tools read (`signsync plan --json`)."""
    return {
        "summary": plan.summary.as_json(),
        "signatories": [signatory_json(s) for s in display_order(plan.signatories) if not s.sealed],
        "private": sum(1 for s in plan.signatories if s.sealed),
        "changes": [
            {"action": c.action, "private": True, "responses": list(c.responses), "reason": c.reason}
            if c.private
            else {
                "action": c.action,
                "id": c.id,
                "responses": list(c.responses),
                "reason": c.reason,
                "name": c.name,
            }
            for c in plan.changes
        ],
        "files": [{"path": f.path, "diff": f.diff} for f in plan.files if f.show],
        "notes": list(plan.notes),
        "warnings": list(plan.warnings),
        "oldest_wait_hours": plan.oldest_wait_hours,
    }


def plan_inputs(config: Config) -> dict[str, Any]:
    """What a saved plan is bound to besides the files it reads and writes (registry, state,
    page, data file: each checked by its digest at apply): the config file, by its resolved
    path and content digest. The responses are not bound: rows that arrive after the plan
    was made simply wait for the next plan."""
    return {"config": str(config.path), "config_sha256": file_digest(config.path)}


def check_plan_inputs(config: Config, plan: Plan, plan_path: str) -> None:
    """Refuse to apply a saved plan through another config, or after its inputs changed."""
    bound = plan.inputs
    if not bound:
        return
    if bound.get("config") != str(config.path):
        raise StalePlanError(
            f"{plan_path} was made with the config {bound.get('config')}, not {config.path}: "
            f"apply it with --config {bound.get('config')}, or make a new plan with this config"
        )
    if bound.get("config_sha256") != file_digest(config.path):
        raise StalePlanError(
            f"{config.path} changed since {plan_path} was made: make a new plan (`signsync plan --out`)"
        )


def save_plan(plan: Plan, path: Path, config: Config) -> None:
    """Save everything apply needs, including the new file contents, atomically; the plan
    is bound to the config and the files it read (see `check_plan_inputs`)."""
    doc = plan_json(plan)
    doc["version"] = PLAN_VERSION
    doc["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    doc["inputs"] = plan_inputs(config)
    doc["config"] = str(config.path)
    doc["summary"]["skipped_blank"] = plan.summary.skipped_blank
    doc["notes"] = list(plan.notes)
    doc["warnings"] = list(plan.warnings)
    doc["signatories"] = [asdict(s) for s in plan.signatories]
    doc["changes"] = [asdict(c) for c in plan.changes]
    doc["write"] = [asdict(f) for f in plan.files]
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


def load_plan(path: Path) -> Plan:
    """Read a plan saved by `signsync plan --out`; anything else is one StalePlanError."""
    raw = read_bytes_or_none(path, "the plan file")
    if raw is None:
        raise StalePlanError(f"no plan file at {path}: make one with `signsync plan --out {path}`")
    again = f"make it again with `signsync plan --out {path}`"
    try:
        doc = json.loads(decode_utf8(raw, path, "the plan file"))
    except json.JSONDecodeError as exc:
        raise StalePlanError(f"{path} is not a plan file ({exc}): {again}") from exc
    if not isinstance(doc, dict) or doc.get("version") != PLAN_VERSION or "write" not in doc:
        raise StalePlanError(f"{path} is not a signsync plan of this version: {again}")
    try:
        return _plan_from(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StalePlanError(f"{path} is damaged ({type(exc).__name__}: {exc}): {again}") from None


def _plan_from(doc: dict[str, Any]) -> Plan:
    summary = Summary(**{**doc["summary"]})
    changes = tuple(
        Change(
            c["action"],
            c["id"],
            tuple(c["responses"]),
            c.get("reason", ""),
            c.get("name", ""),
            bool(c.get("private", False)),
        )
        for c in doc["changes"]
    )
    signatories = tuple(
        Signatory(
            **{
                **s,
                "flags": tuple(s["flags"]),
                "responses": tuple(s["responses"]),
                "email_keys": tuple(s["email_keys"]),
                "domain_keys": tuple(s.get("domain_keys", ())),
                "name_keys": tuple(s.get("name_keys", ())),
            }
        )
        for s in doc["signatories"]
    )
    files = tuple(FileChange(**f) for f in doc["write"])
    for f in files:
        if not isinstance(f.path, str) or not isinstance(f.after, str) or not isinstance(f.meta, dict):
            raise TypeError("a file entry is not what `plan --out` writes")
    inputs = doc.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise TypeError("'inputs' is not an object")
    return Plan(
        summary,
        changes,
        signatories,
        files,
        tuple(doc.get("notes", ())),
        tuple(doc.get("warnings", ())),
        inputs=inputs,
    )
