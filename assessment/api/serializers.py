"""What the API reads and writes. The OpenAPI schema is generated from these classes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.forms.details import DetailsForm
from assessment.models import EFFECTIVE_CHOICES, OUTCOME_CHOICES, EventAction, Status
from assessment.questionnaire import CURRENT_VERSION, available_versions
from assessment.questionnaire.schema import QUESTION_KINDS
from assessment.selectors.queue import SEARCH_MAX_LENGTH, SORTS, category_choices
from assessment.services.drafts import DETAIL_FIELDS


def represent(serializer_class: type[serializers.Serializer], document: Any) -> dict[str, Any]:
    """`serializer_class(document).data`, through one instance per class. Making a serializer
    deep-copies its declared fields, nested serializers' included: a fifth of the API gate's
    time (issue 13). Once bound, the fields keep no state between calls, so one instance
    represents every document (for responses only: validation keeps per-call state)."""
    shared = _SHARED.get(serializer_class)
    if shared is None:
        shared = _SHARED[serializer_class] = serializer_class()
    return shared.to_representation(document)


_SHARED: dict[type[serializers.Serializer], serializers.Serializer] = {}


# -- the questionnaire ---------------------------------------------------------------------------


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    hint = serializers.CharField(allow_blank=True)
    examples = serializers.ListField(child=serializers.CharField())
    next = serializers.CharField(
        allow_null=True, help_text="Where this answer leads, if not to the question's next."
    )
    outcome = serializers.CharField(
        allow_null=True, help_text="The outcome id this answer contributes."
    )
    exclusive = serializers.BooleanField(
        help_text="On a multiple-choice question: must be chosen alone."
    )


class RouteSerializer(serializers.Serializer):
    when_any = serializers.ListField(child=serializers.CharField())
    next = serializers.CharField()


class StatementSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    hint = serializers.CharField(allow_blank=True)
    examples = serializers.ListField(child=serializers.CharField())
    answers = serializers.ListField(
        child=serializers.CharField(),
        help_text="The option values that answer this statement Yes, No and Not sure.",
    )


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=QUESTION_KINDS)
    text = serializers.CharField()
    hint = serializers.CharField(allow_blank=True)
    examples = serializers.ListField(child=serializers.CharField())
    section = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()
    max_length = serializers.IntegerField(allow_null=True)
    next = serializers.CharField(allow_null=True)
    options = OptionSerializer(many=True)
    routes = RouteSerializer(
        many=True,
        help_text="On a multiple-choice question: the first route whose options are chosen wins.",
    )
    statements = StatementSerializer(
        many=True,
        help_text="On a facts question: each statement needs exactly one of its `answers`.",
    )


class OutcomeSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    category = serializers.CharField()
    clauses = serializers.ListField(child=serializers.CharField())
    title = serializers.CharField()
    explanation = serializers.CharField()
    next_steps = serializers.ListField(child=serializers.CharField())


class ClauseSerializer(serializers.Serializer):
    id = serializers.CharField()
    paraphrase = serializers.CharField(allow_blank=True)


class QuestionnaireSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    first = serializers.CharField(help_text="The id of the first question.")
    current = serializers.BooleanField(
        help_text="Whether new assessments use this version by default."
    )
    available_versions = serializers.ListField(child=serializers.CharField())
    questions = QuestionSerializer(many=True)
    outcomes = OutcomeSerializer(many=True)
    clauses = ClauseSerializer(many=True)


class VersionQuerySerializer(serializers.Serializer):
    version = serializers.ChoiceField(
        choices=available_versions(), required=False, help_text=f"Default: {CURRENT_VERSION}."
    )


# -- submitting ----------------------------------------------------------------------------------


class DetailsSerializer(serializers.Serializer):
    """The respondent's details, checked by the browser's own form (same rules, same words)."""

    respondent_name = serializers.CharField(max_length=200)
    respondent_email = serializers.EmailField(max_length=254)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    project_name = serializers.CharField(max_length=200)
    project_description = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": ["Send the details as an object."]}
            )
        errors: dict[str, list[str]] = {}
        values: dict[str, str] = {}
        for name in DETAIL_FIELDS:
            value = data.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors[name] = ["Enter text"]
            else:
                values[name] = value
        form = DetailsForm(data=values)
        if not form.is_valid():
            for name, messages in form.errors.items():
                errors.setdefault(name, []).extend(str(m) for m in messages)
        unknown = sorted(set(data) - set(DETAIL_FIELDS))
        for name in unknown:
            errors[str(name)[:50]] = ["Unknown field"]
        if errors:
            raise serializers.ValidationError(errors)
        return {name: form.cleaned_data[name] for name in DETAIL_FIELDS}


@extend_schema_field(
    {
        "type": "object",
        "description": "Question id → answer: an option value, a list of option values for a "
        "multiple-choice question, a list of one answer per statement for a facts question "
        "(for example `writes_words:no`), or the text typed. Every question on the path must "
        "be answered, and no other.",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        },
    }
)
class AnswersField(serializers.Field):
    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError("Send the answers as an object of question ids.")
        return dict(data)

    def to_representation(self, value: Any) -> Any:
        return value


class AssessmentInputSerializer(serializers.Serializer):
    version = serializers.ChoiceField(
        choices=available_versions(), required=False, help_text=f"Default: {CURRENT_VERSION}."
    )
    details = DetailsSerializer()
    answers = AnswersField()


class NextQuestionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()


class SubmissionErrorSerializer(serializers.Serializer):
    """A 400: each key that has a problem, with what is wrong in the browser's own words."""

    detail = serializers.CharField(required=False, help_text="A body that is not valid JSON.")
    version = serializers.ListField(child=serializers.CharField(), required=False)
    details = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Question id → problems; a missing answer is reported on the next question.",
    )
    next_question = NextQuestionSerializer(required=False, allow_null=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# -- reading -------------------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    category = serializers.CharField()
    explanation = serializers.CharField()
    clauses = ClauseSerializer(many=True)
    next_steps = serializers.ListField(child=serializers.CharField())


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    decided_at = serializers.DateTimeField(allow_null=True)


class IntegritySerializer(serializers.Serializer):
    intact = serializers.BooleanField(help_text="The stored hash matches the record's content.")
    problems = serializers.ListField(child=serializers.CharField())


class SealSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="How the record is sealed: hmac-sha256 (keyed), or sha256 for a record "
        "sealed before keyed seals (legacy, unkeyed)."
    )
    key_id = serializers.CharField(
        allow_blank=True, help_text="The id of the key it was sealed with (empty when legacy)."
    )
    value = serializers.CharField()


class LinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    events = serializers.URLField(allow_null=True, help_text="For read:all tokens.")
    review = serializers.URLField(allow_null=True, help_text="The reviewer's page (sign-in).")
    result = serializers.URLField(allow_null=True, help_text="The private result page (read:own).")
    pdf = serializers.URLField(allow_null=True, help_text="The PDF summary (read:own).")


class AssessmentSerializer(serializers.Serializer):
    """The gate: enough to decide whether a training job may start, and why."""

    reference = serializers.CharField()
    questionnaire_version = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    cleared = serializers.BooleanField(
        help_text="True only when a reviewer's final decision is permitted and the record is "
        "intact: the one field a training job needs to check."
    )
    automatic_outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    effective_outcome = serializers.ChoiceField(
        choices=EFFECTIVE_CHOICES,
        help_text="The decision in effect: a reviewer's approved decision or a named ending "
        "(withdrawn, not_assessable), else the automatic outcome. Never permitted unless a "
        "permitted decision took effect or the automatic outcome was permitted and unchanged.",
    )
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    decided = serializers.BooleanField()
    final = serializers.BooleanField(
        help_text="A reviewer decided and the case is decided or closed."
    )
    decision = DecisionSerializer(allow_null=True)
    categories = serializers.ListField(child=serializers.CharField())
    clauses = ClauseSerializer(many=True)
    findings = FindingSerializer(many=True)
    sha256 = serializers.CharField()
    seal = SealSerializer()
    integrity = IntegritySerializer()
    record = serializers.JSONField(
        help_text="The hashed record, as embedded in the PDF: its canonical JSON (sorted keys, "
        "no whitespace, UTF-8) hashes to sha256."
    )
    links = LinksSerializer()


class AssessmentCreatedSerializer(AssessmentSerializer):
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES, help_text="The automatic outcome.")
    private_link = serializers.URLField(help_text="The respondent's private result page.")
    pdf_url = serializers.URLField()


class QueueItemSerializer(serializers.Serializer):
    reference = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    questionnaire_version = serializers.CharField()
    project_name = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices)
    automatic_outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    effective_outcome = serializers.ChoiceField(choices=EFFECTIVE_CHOICES)
    decided = serializers.BooleanField()
    final = serializers.BooleanField()
    categories = serializers.ListField(child=serializers.CharField())
    assigned_to = serializers.CharField(allow_null=True)
    url = serializers.URLField()


def _problems() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), required=False)


class QueueQuerySerializer(serializers.Serializer):
    """The queue's filters as documented; `forms.queue.QueueFilterForm` parses them (the same
    form as /review/'s), and a malformed one is a 400. A test keeps the two field lists equal."""

    status = serializers.ChoiceField(choices=Status.choices, required=False)
    outcome = serializers.ChoiceField(
        choices=OUTCOME_CHOICES, required=False, help_text="The automatic outcome."
    )
    category = serializers.ChoiceField(
        choices=category_choices(), required=False, help_text="An outcome id."
    )
    submitted_from = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    submitted_to = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    version = serializers.ChoiceField(choices=available_versions(), required=False)
    mine = serializers.BooleanField(required=False, help_text="Assigned to the token's owner.")
    rereview = serializers.BooleanField(
        required=False, help_text="A re-review was opened under a newer questionnaire version."
    )
    overdue = serializers.BooleanField(
        required=False,
        help_text="Open and submitted more than ASSESSMENT_REVIEW_SLA_DAYS days ago.",
    )
    q = serializers.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words, each matched (accents and capitals aside) in the reference, the "
        "respondent's details and the answers' text.",
    )
    sort = serializers.ChoiceField(
        choices=[(key, label) for key, (label, _) in SORTS.items()], required=False
    )


class QueueFilterErrorSerializer(serializers.Serializer):
    """A 400 of the queue: each malformed filter, with what is wrong."""

    status = _problems()
    outcome = _problems()
    category = _problems()
    submitted_from = _problems()
    submitted_to = _problems()
    version = _problems()
    mine = _problems()
    rereview = _problems()
    overdue = _problems()
    q = _problems()
    sort = _problems()


class EventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=EventAction.choices)
    action_label = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    from_outcome = serializers.CharField(allow_blank=True)
    to_outcome = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    record_sha256 = serializers.CharField()
    matches_record = serializers.BooleanField(
        help_text="The hash written with the event equals the record's stored hash."
    )
