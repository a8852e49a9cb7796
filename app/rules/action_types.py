"""The actions a nation can take during a turn's orders phase, as plain data.

`app.rules.actions` parses them from untrusted input, checks and applies them;
`app.rules.diplomacy` checks and applies the proposal actions (`Propose`, `Sign`,
`Counter`, `RejectProposal`, `WithdrawProposal`). Both import them from here, so
`diplomacy` need not import `actions` (see docs/architecture.md, "Layers").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from app.rules.state import AgreementKind


@dataclass(frozen=True)
class CommitUnit:
    unit_id: str
    operation_id: str
    kind: Literal["commit"] = "commit"


@dataclass(frozen=True)
class WithdrawUnit:
    unit_id: str
    kind: Literal["withdraw"] = "withdraw"


@dataclass(frozen=True)
class SetReady:
    ready: bool
    kind: Literal["ready"] = "ready"


@dataclass(frozen=True)
class Propose:
    agreement: AgreementKind
    parties: tuple[str, ...]
    terms: dict[str, str | int] = field(default_factory=dict)
    kind: Literal["propose"] = "propose"

    def __hash__(self) -> int:  # terms are a dict: hash their items
        return hash((self.agreement, self.parties, tuple(sorted(self.terms.items()))))


@dataclass(frozen=True)
class Sign:
    agreement_id: str
    kind: Literal["sign"] = "sign"


@dataclass(frozen=True)
class RejectProposal:
    agreement_id: str
    kind: Literal["reject"] = "reject"


@dataclass(frozen=True)
class Counter:
    agreement_id: str
    terms: dict[str, str | int]
    kind: Literal["counter"] = "counter"

    def __hash__(self) -> int:
        return hash((self.agreement_id, tuple(sorted(self.terms.items()))))


@dataclass(frozen=True)
class WithdrawProposal:
    agreement_id: str
    kind: Literal["withdraw_proposal"] = "withdraw_proposal"


@dataclass(frozen=True)
class SendMessage:
    channel_id: str
    text: str
    kind: Literal["message"] = "message"


@dataclass(frozen=True)
class OpenChannel:
    members: tuple[str, ...]
    name: str = ""
    kind: Literal["open_channel"] = "open_channel"


@dataclass(frozen=True)
class TransferAuthority:
    """Place a unit under a coalition's command: its lead may task it (within caveats)."""

    unit_id: str
    coalition_id: str
    kind: Literal["transfer"] = "transfer"


@dataclass(frozen=True)
class ReclaimUnit:
    unit_id: str
    kind: Literal["reclaim"] = "reclaim"


@dataclass(frozen=True)
class RedCard:
    """Refuse the coalition's tasking of one of your units this turn (a national veto)."""

    unit_id: str
    kind: Literal["red_card"] = "red_card"


@dataclass(frozen=True)
class LeaveCoalition:
    coalition_id: str
    kind: Literal["leave_coalition"] = "leave_coalition"


@dataclass(frozen=True)
class RequestMandate:
    """A coalition's lead asks a council (a `un` actor) for a mandate."""

    coalition_id: str
    actor_id: str
    kind: Literal["request_mandate"] = "request_mandate"


@dataclass(frozen=True)
class RedMove:
    """The red cell's move for the turn (app/rules/red_cell.py): one of `RedMoveKind`,
    with its words for a signal, an offer of talks or an acceptance of terms."""

    move: str
    text: str = ""
    kind: Literal["red_move"] = "red_move"


Action = (
    CommitUnit
    | WithdrawUnit
    | SetReady
    | Propose
    | Sign
    | RejectProposal
    | Counter
    | WithdrawProposal
    | SendMessage
    | OpenChannel
    | TransferAuthority
    | ReclaimUnit
    | RedCard
    | LeaveCoalition
    | RequestMandate
    | RedMove
)
