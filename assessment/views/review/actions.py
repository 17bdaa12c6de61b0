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
    # The service function. It takes the record, the user, the revision the form carried and,
    # by name, each of the form's other fields (a test pins that the names match).
    service: Callable[..., Event]
    # Asked on a confirmation page (a plain form, no JavaScript) before the action runs;
    # empty for actions that can be undone.
    confirm: str = ""
    secondary: bool = False
    # A note does not move the case, so it needs no revision (see services.review.add_note).
    revisioned: bool = True

    def perform(self, record: Record, user: Any, data: dict[str, Any]) -> Event:
        fields = {name: value for name, value in data.items() if name != "revision"}
        if self.revisioned:
            fields["expected_revision"] = data["revision"]
        return self.service(record=record, user=user, **fields)


ACTIONS: dict[str, ReviewAction] = {
    action.name: action
    for action in (
        ReviewAction(
            name="take_over",
            form=forms.TakeOverForm,
            title="Take over this case",
            button="Take over",
            done="You took over the record; the previous assignee is told.",
            service=review.take_over,
        ),
        ReviewAction(
            name="assign",
            form=forms.AssignForm,
            title="Assign",
            button="Assign",
            done="The record is assigned.",
            service=review.assign,
            secondary=True,
        ),
        ReviewAction(
            name="unassign",
            form=forms.UnassignForm,
            title="Unassign",
            button="Unassign",
            done="Nobody is assigned to the record now.",
            service=review.unassign,
            secondary=True,
        ),
        ReviewAction(
            name="confirm",
            form=forms.ConfirmForm,
            title="Confirm the automatic result",
            button="Confirm",
            done="The automatic result is confirmed.",
            service=review.confirm,
            confirm="Confirm the automatic result as the decision? The respondent is told.",
        ),
        ReviewAction(
            name="decide",
            form=forms.DecideForm,
            title="Decide",
            button="Decide",
            done="The decision is in effect; the respondent is told.",
            service=review.decide,
            confirm="Record this decision? Once in effect, the respondent is told.",
        ),
        ReviewAction(
            name="override",
            form=forms.OverrideForm,
            title="Override the result",
            button="Propose the override",
            done="The override is proposed: it takes effect when a second reviewer approves it.",
            service=review.override,
            confirm="Propose this override? A second reviewer must approve it.",
        ),
        ReviewAction(
            name="approve",
            form=forms.ApproveForm,
            title="Approve the proposed decision",
            button="Approve",
            done="The decision is approved and in effect; the respondent is told.",
            service=review.approve,
            confirm="Approve this decision? It takes effect and the respondent is told.",
        ),
        ReviewAction(
            name="reject",
            form=forms.RejectForm,
            title="Send the decision back",
            button="Send back",
            done="The proposal is sent back to its proposer.",
            service=review.reject,
            secondary=True,
        ),
        ReviewAction(
            name="request_information",
            form=forms.RequestInformationForm,
            title="Request information",
            button="Send request",
            done="The request was sent to the respondent.",
            service=review.request_information,
        ),
        ReviewAction(
            name="note",
            form=forms.NoteForm,
            title="Write a note",
            button="Add the note",
            done="The note is added.",
            service=review.add_note,
            revisioned=False,
            secondary=True,
        ),
        ReviewAction(
            name="close",
            form=forms.CloseForm,
            title="Close the record",
            button="Close record",
            done="The record is closed.",
            service=review.close,
            confirm="Close this record for good? A closed record cannot be reopened.",
            secondary=True,
        ),
    )
}
assert set(ACTIONS) == set(review.REVIEWER_ACTIONS), "every action of the state table is declared"
