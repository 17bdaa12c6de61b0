"""The API's views: parse, check access, call a selector or a service, answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment import access
from assessment.api import documents
from assessment.api import serializers as s
from assessment.api.pagination import QueueCursorPagination
from assessment.forms.queue import QueueFilterForm
from assessment.models import Record
from assessment.questionnaire import CURRENT_VERSION, load
from assessment.selectors.queue import QUEUE_DEFERRED, apply_filters, record_trail
from assessment.services import answer_sets, drafts

UNAUTHORIZED = OpenApiResponse(
    s.ErrorSerializer, description="No token, or a bad, revoked or expired one."
)
FORBIDDEN = OpenApiResponse(
    s.ErrorSerializer, description="The token's scope does not allow this (read:all needed)."
)
NOT_FOUND = OpenApiResponse(
    s.ErrorSerializer,
    description="No such assessment, or one this token may not read: the same answer.",
)


class QuestionnaireView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="questionnaire",
        summary="The questionnaire: questions, options, routing, outcomes and clauses",
        parameters=[s.VersionQuerySerializer],
        responses={
            200: s.QuestionnaireSerializer,
            400: OpenApiResponse(s.SubmissionErrorSerializer, description="An unknown version."),
            401: UNAUTHORIZED,
        },
        tags=["questionnaire"],
    )
    def get(self, request: Request) -> Response:
        query = s.VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        questionnaire = load(query.validated_data.get("version", CURRENT_VERSION))
        document = documents.questionnaire_document(questionnaire)
        return Response(s.QuestionnaireSerializer(document).data)


def _per_field(errors: dict[str, Any]) -> dict[str, Any]:
    """The documented 400 shape: `details` and `answers` always map a field to its problems;
    a problem with the whole object (missing, not an object) is under "non_field_errors"."""
    return {
        key: {"non_field_errors": value}
        if key in ("details", "answers") and isinstance(value, list)
        else value
        for key, value in errors.items()
    }


class AssessmentsView(APIView):
    pagination_class = QueueCursorPagination

    @property
    def paginator(self) -> QueueCursorPagination:
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class()
        return self._paginator

    def get_permissions(self) -> list[Any]:
        # Submitting is public (a token, if sent, makes the record readable with read:own).
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(
        operation_id="assessments_create",
        summary="Submit a complete assessment",
        description="Checked by the same engine, services and messages as the browser flow, and "
        "stored as the same immutable record. Send a token to read it back later with read:own.",
        request=s.AssessmentInputSerializer,
        responses={
            201: s.AssessmentCreatedSerializer,
            400: OpenApiResponse(
                s.SubmissionErrorSerializer, description="What to fix, per field."
            ),
            401: UNAUTHORIZED,
            429: OpenApiResponse(
                s.ErrorSerializer, description="Too many assessments from this client."
            ),
        },
        examples=[
            OpenApiExample(
                "A partial answer set",
                status_codes=["400"],
                response_only=True,
                value={
                    "answers": {"model_for": ["Select an option"]},
                    "next_question": {"id": "model_for", "text": "Who is the model for?"},
                },
            )
        ],
        tags=["assessments"],
    )
    def post(self, request: Request) -> Response:
        data = s.AssessmentInputSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationError(_per_field(data.errors))
        token = request.auth
        try:
            record = answer_sets.submit_answer_set(
                client_address=request.META.get("REMOTE_ADDR", ""),
                version=data.validated_data.get("version", CURRENT_VERSION),
                details=data.validated_data["details"],
                answers=data.validated_data["answers"],
                user=token.user if token is not None else None,
                token=token,
            )
        except answer_sets.InvalidAnswerSet as error:
            body: dict[str, Any] = {"answers": error.errors}
            if error.next_question is not None:
                body["next_question"] = {
                    "id": error.next_question.id,
                    "text": error.next_question.text,
                }
            raise ValidationError(body) from None
        except drafts.DraftLimitReached:
            raise Throttled(
                detail="Too many assessments from this address in the last hour; try again later."
            ) from None
        document = documents.created_document(request, record)
        return Response(
            s.represent(s.AssessmentCreatedSerializer, document),
            status=status.HTTP_201_CREATED,
            headers={"Location": document["links"]["self"]},
        )

    @extend_schema(
        operation_id="assessments_list",
        summary="The review queue (read:all)",
        description="The same filters and orders as /review/, parsed by the same form, "
        "cursor-paginated. A malformed filter is a 400 naming it, never ignored: a pipeline "
        "must not get every record for a filter it mistyped.",
        parameters=[s.QueueQuerySerializer],
        responses={
            200: s.QueueItemSerializer(many=True),
            400: OpenApiResponse(
                s.QueueFilterErrorSerializer, description="Which filters are malformed, and why."
            ),
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: OpenApiResponse(s.ErrorSerializer, description="A cursor that is not valid."),
        },
        tags=["assessments"],
    )
    def get(self, request: Request) -> Response:
        access.ensure_token_reads_all(request.auth)
        form = QueueFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.problems())
        filters = form.filters()
        queryset = apply_filters(
            Record.objects.select_related("assigned_to").defer(*QUEUE_DEFERRED),
            user=request.user,
            filters=filters,
        )
        page = self.paginator.paginate_queue(queryset, filters, request, self)
        items = [documents.queue_item(request, record) for record in page or []]
        return self.paginator.get_paginated_response(s.QueueItemSerializer(items, many=True).data)


class AssessmentView(APIView):
    @extend_schema(
        operation_id="assessment",
        summary="The gate: may a training job go ahead on this assessment?",
        description="`cleared` is true only when a reviewer's final decision is permitted and the "
        "record is intact. read:own tokens see the assessments their owner submitted through the "
        "API; read:all tokens (reviewers) see every one.",
        responses={200: s.AssessmentSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
        tags=["assessments"],
    )
    def get(self, request: Request, reference: str) -> Response:
        token = request.auth
        record = access.record_for_token(token, reference)
        reads_all = access.token_reads_all(token)
        owns = (
            not reads_all
            or Record.objects.filter(pk=record.pk, api_submission__user=token.user_id).exists()
        )
        document = documents.assessment_document(request, record, reads_all=reads_all, owns=owns)
        return Response(s.represent(s.AssessmentSerializer, document))


class AssessmentEventsView(APIView):
    @extend_schema(
        operation_id="assessment_events",
        summary="The audit trail of one assessment (read:all)",
        responses={
            200: s.EventSerializer(many=True),
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        tags=["assessments"],
    )
    def get(self, request: Request, reference: str) -> Response:
        access.ensure_token_reads_all(request.auth)
        record = access.record_for_token(request.auth, reference)
        items = [documents.event_item(event, record) for event in record_trail(record)]
        return Response(s.EventSerializer(items, many=True).data)
