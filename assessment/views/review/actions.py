"""The registry of reviewer actions: one declaration per action (its form, title, button,
success message, confirmation question when it cannot be undone, and the service call).

Which actions a page offers comes from `services.review.allowed_actions(record, user)`; the
service checks the same rules again when the action runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assessment.forms import review_actions as forms
from assessment.models import Event, Record
from assessment.services import review


@dataclass(frozen=True)
class ReviewAction:
    name: str
    form: type[forms.ActionForm]
    title: str
    button: str
    done: str
    perform: Callable[[Record, Any, dict[str, Any]], Event]
    # Asked on a confirmation page (a plain form, no JavaScript) before the action runs;
    # empty for actions that can be undone.
    confirm: str = ""
    secondary: bool = False


def _common(record: Record, user: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {"record": record, "user": user, "expected_revision": data["revision"]}


ACTIONS: dict[str, ReviewAction] = {
    action.name: action
    for action in (
        ReviewAction(
            name="take_over",
            form=forms.TakeOverForm,
            title="Take over this case",
            button="Take over",
            done="You took over the record; the previous assignee is told.",
            perform=lambda r, u, d: review.take_over(**_common(r, u, d), note=d["note"]),
        ),
        ReviewAction(
            name="assign",
            form=forms.AssignForm,
            title="Assign",
            button="Assign",
            done="The record is assigned.",
            perform=lambda r, u, d: review.assign(
                **_common(r, u, d), assignee=d["assignee"], note=d["note"]
            ),
            secondary=True,
        ),
        ReviewAction(
            name="unassign",
            form=forms.UnassignForm,
            title="Unassign",
            button="Unassign",
            done="Nobody is assigned to the record now.",
            perform=lambda r, u, d: review.unassign(**_common(r, u, d), note=d["note"]),
            secondary=True,
        ),
        ReviewAction(
            name="confirm",
            form=forms.ConfirmForm,
            title="Confirm the automatic result",
            button="Confirm",
            done="The automatic result is confirmed.",
            perform=lambda r, u, d: review.confirm(
                **_common(r, u, d), note=d["note"], audience=d["audience"]
            ),
            confirm="Confirm the automatic result as the decision? The respondent is told.",
        ),
        ReviewAction(
            name="decide",
            form=forms.DecideForm,
            title="Decide",
            button="Decide",
            done="The decision is in effect; the respondent is told.",
            perform=lambda r, u, d: review.decide(
                **_common(r, u, d), outcome=d["outcome"], note=d["note"], audience=d["audience"]
            ),
            confirm="Record this decision? Once in effect, the respondent is told.",
        ),
        ReviewAction(
            name="override",
            form=forms.OverrideForm,
            title="Override the result",
            button="Propose the override",
            done="The override is proposed: it takes effect when a second reviewer approves it.",
            perform=lambda r, u, d: review.override(
                **_common(r, u, d),
                outcome=d["outcome"],
                justification=d["justification"],
                audience=d["audience"],
            ),
            confirm="Propose this override? A second reviewer must approve it.",
        ),
        ReviewAction(
            name="approve",
            form=forms.ApproveForm,
            title="Approve the proposed decision",
            button="Approve",
            done="The decision is approved and in effect; the respondent is told.",
            perform=lambda r, u, d: review.approve(
                **_common(r, u, d), note=d["note"], audience=d["audience"]
            ),
            confirm="Approve this decision? It takes effect and the respondent is told.",
        ),
        ReviewAction(
            name="reject",
            form=forms.RejectForm,
            title="Send the decision back",
            button="Send back",
            done="The proposal is sent back to its proposer.",
            perform=lambda r, u, d: review.reject(**_common(r, u, d), note=d["note"]),
            secondary=True,
        ),
        ReviewAction(
            name="request_information",
            form=forms.RequestInformationForm,
            title="Request information",
            button="Send request",
            done="The request was sent to the respondent.",
            perform=lambda r, u, d: review.request_information(
                **_common(r, u, d), message=d["message"]
            ),
        ),
        ReviewAction(
            name="note",
            form=forms.NoteForm,
            title="Write a note",
            button="Add the note",
            done="The note is added.",
            perform=lambda r, u, d: review.add_note(
                record=r, user=u, note=d["note"], audience=d["audience"]
            ),
            secondary=True,
        ),
        ReviewAction(
            name="close",
            form=forms.CloseForm,
            title="Close the record",
            button="Close record",
            done="The record is closed.",
            perform=lambda r, u, d: review.close(
                **_common(r, u, d),
                reason=d["reason"],
                ending=d.get("ending") or "",
                audience=d["audience"],
            ),
            confirm="Close this record for good? A closed record cannot be reopened.",
            secondary=True,
        ),
    )
}
assert set(ACTIONS) == set(review.REVIEWER_ACTIONS), "every action of the state table is declared"
