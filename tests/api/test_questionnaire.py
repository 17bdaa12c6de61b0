"""GET /api/v1/questionnaire: enough for a client to render or pre-fill the questionnaire."""

from __future__ import annotations

import pytest

from assessment import engine
from assessment.questionnaire import CURRENT_VERSION, available_versions, load

pytestmark = pytest.mark.django_db


def test_the_current_version_is_public(api):
    response = api.get("/api/v1/questionnaire")
    assert response.status_code == 200
    body = response.json()
    questionnaire = load(CURRENT_VERSION)
    assert body["version"] == CURRENT_VERSION and body["current"] is True
    assert [q["id"] for q in body["questions"]] == list(questionnaire.questions)
    assert {o["id"] for o in body["outcomes"]} == set(questionnaire.outcomes)
    assert {c["id"] for c in body["clauses"]} == set(questionnaire.clauses)
    assert body["first"] == questionnaire.first


def test_an_older_version_by_name(api):
    oldest = available_versions()[0]
    assert api.get(f"/api/v1/questionnaire?version={oldest}").json()["version"] == oldest


def test_an_unknown_version_is_400(api):
    response = api.get("/api/v1/questionnaire?version=v999")
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_client_can_walk_the_routing_it_is_given(api):
    """Following `first`, option `next` and question `next` alone reaches the end of a path
    the engine agrees is complete: the document describes the routing fully."""
    body = api.get("/api/v1/questionnaire").json()
    questions = {q["id"]: q for q in body["questions"]}
    answers: dict = {}
    current = body["first"]
    while current:
        question = questions[current]
        if question["statements"]:
            # One answer per statement: the last one each offers ("Not sure").
            answers[current] = [statement["answers"][-1] for statement in question["statements"]]
            current = question["next"]
        elif question["options"]:
            option = question["options"][-1]
            answers[current] = (
                [option["value"]] if question["kind"] == "multiple" else option["value"]
            )
            chosen = [option["value"]]
            route = next((r for r in question["routes"] if set(r["when_any"]) & set(chosen)), None)
            if question["kind"] == "multiple":
                current = route["next"] if route else question["next"]
            else:
                current = option["next"] or question["next"]
        else:
            answers[current] = "Some text"
            current = question["next"]
    assert engine.evaluate(load(body["version"]), answers).complete
