"""`hub audit verify [--json] [--key KEY]`, `hub audit checkpoint`, `hub audit key`: the audit trail from the
operator's seat (the hub need not be running)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
from typing import TYPE_CHECKING, Any

from hub.cli.command import database, print_json, run
from hub.settings import Settings

if TYPE_CHECKING:
    from hub.audit.verify import ChainReport

ANCHOR_CHECKS = "hub.chain.anchor_checks"
"""Where the anchors' verification lives (branch audit-anchors); `verify` checks anchors when it is there."""
ANCHOR_FIELDS = ("anchors", "bad_checkpoint", "problem", "unchecked")
"""What `verify --json` says of the anchors: how many held, the first bad one's checkpoint and problem, the chains
that could not be reached."""


def add_parser(commands: Any) -> None:
    audit = commands.add_parser(
        "audit",
        help="check the audit trail",
        description="The hash-chained audit log of every state change, its signed Merkle checkpoints and anchors.",
    )
    audit.set_defaults(migrate_first=True)
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="recompute the hash chain, the checkpoints and their signatures; exit 0 only when all hold",
        description="Recomputes every entry's hash from its content and the hash before it, every checkpoint's "
        "Merkle root from the entries, checks every checkpoint's signed note (and every anchor on its chain, "
        "where anchoring is installed); exit status 0 only when all of it holds, otherwise 1, naming the first "
        "entry (seq), checkpoint (tree size) or anchor that does not.",
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object instead of a sentence")
    verify.add_argument(
        "--key",
        action="append",
        metavar="KEY",
        help="a verifier key (as `hub audit key` prints it) to check signatures with; repeat for several "
        "(default: the keys the database holds)",
    )
    verify.set_defaults(handler=verify_command)
    checkpoint = actions.add_parser(
        "checkpoint",
        help="make a signed checkpoint over the entries now",
        description="Makes a signed Merkle checkpoint over every entry so far (the serving hub makes them every "
        "HUB_AUDIT_CHECKPOINT_ENTRIES entries or HUB_AUDIT_CHECKPOINT_SECONDS seconds) and prints it as JSON.",
    )
    checkpoint.set_defaults(handler=checkpoint_command)
    key = actions.add_parser(
        "key",
        help="print the verifier key of the checkpoints' signatures",
        description="Prints the hub's checkpoint verifier key, <name>+<key hash>+<base64 key> (the signed-note "
        "form; also at /.well-known/audit-key), generating the key when the hub has none yet.",
    )
    key.set_defaults(handler=key_command)
    with contextlib.suppress(ImportError):
        from hub.cli.audit_export import add_export_parser  # type: ignore[import-not-found,unused-ignore]

        add_export_parser(actions)


async def check(settings: Settings, keys: list[str] | None = None) -> tuple[ChainReport, dict[str, Any] | None]:
    from hub.audit.signed_note import NoteVerifier
    from hub.audit.verify import verify_log

    verifiers = [NoteVerifier.parse(key) for key in keys] if keys else None
    async with database(settings) as sessions, sessions() as session:
        report = await verify_log(session, verifiers)
        anchors = await check_anchors(settings, session) if report.ok else None
    return report, anchors


async def check_anchors(settings: Settings, session: Any) -> dict[str, Any] | None:
    """The anchors' verdict, from audit-anchors' `verify_stored_anchors`; None where it is not installed."""
    try:
        checks = importlib.import_module(ANCHOR_CHECKS)
        anchoring = importlib.import_module("hub.chain.anchoring")
    except ImportError:
        return None
    endpoints = anchoring.open_chain_endpoints(settings)
    try:
        report = await checks.verify_stored_anchors(session, endpoints)
    finally:
        await asyncio.gather(*(endpoint.close() for endpoint in endpoints), return_exceptions=True)
    return {
        "anchors": report.anchors,
        "bad_checkpoint": report.first_bad_checkpoint,
        "problem": report.problem,
        "unchecked": list(report.unchecked),
        "unchecked_because": dict(report.unchecked),
    }


def verify_command(args: argparse.Namespace, settings: Settings) -> int:
    async def verify() -> int:
        report, anchors = await check(settings, args.key)
        ok = report.ok and (anchors is None or anchors["problem"] is None)
        if args.json:
            print_json(
                {
                    "ok": ok,
                    "entries": report.entries,
                    "checkpoints": report.checkpoints,
                    "first_bad_seq": report.first_bad_seq,
                    "bad_checkpoint": report.bad_checkpoint if anchors is None else anchors["bad_checkpoint"],
                    "problem": report.problem if anchors is None else anchors["problem"],
                    "anchors": None if anchors is None else {key: anchors[key] for key in ANCHOR_FIELDS},
                }
            )
        elif not report.ok:
            where = f"entry {report.first_bad_seq}" if report.first_bad_seq else f"checkpoint {report.bad_checkpoint}"
            print(f"audit log: FAILED at {where}: {report.problem}")
        elif anchors is not None and anchors["problem"] is not None:
            where = (
                "an anchor"
                if anchors["bad_checkpoint"] is None
                else f"the anchor of checkpoint {anchors['bad_checkpoint']}"
            )
            print(f"audit log: FAILED at {where}: {anchors['problem']}")
        else:
            anchored = f", {anchors['anchors']} anchors" if anchors is not None else ""
            if anchors is not None and anchors["unchecked"]:
                reasons = anchors["unchecked_because"].items()
                anchored += "; could not check: " + "; ".join(f"{chain}: {why}" for chain, why in reasons)
            print(f"audit log: all {report.entries} entries verified ({report.checkpoints} checkpoints{anchored})")
        return 0 if ok else 1

    return run(verify())


def checkpoint_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def make() -> int:
        from hub.app import Hub

        hub = Hub.create(settings)
        try:
            checkpoint = await hub.checkpoints.checkpoint_now()
        finally:
            await hub.close()
        if checkpoint is None:
            print_json({"checkpoint": None, "reason": "no entry was added since the last checkpoint"})
        else:
            print_json(
                {
                    "tree_size": checkpoint.tree_size,
                    "first_seq": checkpoint.first_seq,
                    "root_hash": checkpoint.root_hash,
                    "note": checkpoint.note,
                }
            )
        return 0

    return run(make())


def key_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def show() -> int:
        from hub.audit.note_keys import NoteKeys

        async with database(settings) as sessions:
            print(await NoteKeys(sessions, settings.audit_origin).verifier())
        return 0

    return run(show())
