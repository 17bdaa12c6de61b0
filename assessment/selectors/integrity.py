"""The hash chain's state for the reviewers' dashboard, in one query: its head (length, last
hash, whether its signature holds), the last full check and the latest checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Subquery

from assessment.integrity import hashing, keys
from assessment.models import ChainHead, Checkpoint, IntegrityCheck


@dataclass(frozen=True)
class ChainState:
    length: int
    head_hash: str
    head_signed: bool  # the head's signature holds (checked here, no walk)
    checked_at: datetime | None  # the last full check (`verify_integrity`)
    check_ok: bool | None
    check_problems: tuple[str, ...]
    checkpoint_at: datetime | None
    checkpoint_length: int | None


def _latest(queryset: Any, field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def chain_state() -> ChainState:
    checks = IntegrityCheck.objects.order_by("-finished_at", "-pk")
    checkpoints = Checkpoint.objects.order_by("-created_at", "-pk")
    # One row: the head, with the latest check and checkpoint as uncorrelated subqueries.
    row = (
        ChainHead.objects.filter(pk=1)
        .annotate(
            checked_at=_latest(checks, "finished_at"),
            check_ok=_latest(checks, "ok"),
            check_problems=_latest(checks, "problems"),
            checkpoint_at=_latest(checkpoints, "created_at"),
            checkpoint_length=_latest(checkpoints, "length"),
        )
        .first()
    )
    if row is None:  # no head yet: nothing was ever appended (or it was deleted)
        return ChainState(0, hashing.GENESIS, True, None, None, (), None, None)
    key = keys.key_for(row.key_id)
    signed = row.length == 0 or bool(
        key
        and hashing.same(
            hashing.head_signature(
                key, length=row.length, head_hash=row.head_hash, key_id=row.key_id
            ),
            row.signature,
        )
    )
    return ChainState(
        length=row.length,
        head_hash=row.head_hash,
        head_signed=signed,
        checked_at=row.checked_at,
        check_ok=row.check_ok,
        check_problems=tuple(row.check_problems or ()),
        checkpoint_at=row.checkpoint_at,
        checkpoint_length=row.checkpoint_length,
    )
