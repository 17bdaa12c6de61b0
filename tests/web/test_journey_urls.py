"""The journey's URLs built from a reversed template (`journey_url`, issue 15) are the URLs
reverse() builds: on every respondent route, under a script prefix, and for arguments that
reverse() would quote or refuse (which go to reverse() itself)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from assessment.models.drafts import new_token
from assessment.views.respondent.navigation import journey_url

ROUTES = [
    ("resume", 1),
    ("details", 1),
    ("question", 2),
    ("check", 1),
    ("result", 1),
    ("reply", 1),
    ("revise", 1),
]


def arguments(arity: int) -> list[str]:
    return [new_token(), "uses_outputs-2"][:arity]


@pytest.mark.parametrize(("name", "arity"), ROUTES)
def test_each_route_is_the_url_reverse_builds(name, arity):
    for _ in range(3):  # the first call reverses the template, the next ones reuse it
        args = arguments(arity)
        assert journey_url(name, *args) == reverse(name, args=args)


@pytest.mark.parametrize(("name", "arity"), ROUTES)
def test_under_a_script_prefix_the_url_carries_it(name, arity):
    args = arguments(arity)
    try:
        set_script_prefix("/compliance/")
        prefixed = journey_url(name, *args)
        assert prefixed == reverse(name, args=args)
        assert prefixed.startswith("/compliance/a/")
    finally:
        clear_script_prefix()
    assert journey_url(name, *args) == reverse(name, args=args)
    assert not journey_url(name, *args).startswith("/compliance/")


@pytest.mark.parametrize("argument", ["a b", "é", "50%", "q?x=1", "{0}", "qzargumentqz0"])
def test_an_argument_reverse_would_quote_is_quoted_as_reverse_quotes_it(argument):
    assert journey_url("question", "token", argument) == reverse(
        "question", args=["token", argument]
    )


@pytest.mark.parametrize("argument", ["", "a/b"])
def test_an_argument_reverse_refuses_is_refused(argument):
    with pytest.raises(NoReverseMatch):
        journey_url("question", "token", argument)


def test_the_wrong_number_of_arguments_is_refused():
    with pytest.raises((NoReverseMatch, ValueError)):
        journey_url("question", "token")
