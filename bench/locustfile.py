"""Locust users for bench/journey_bench.py: each runs complete respondent journeys.

Home, Start, details, every question of a path, check, submit, result, as a browser does it
(cookies, CSRF tokens read from the pages, redirects followed). The paths come from
`JOURNEY_PATHS` (a JSON file of [kind, [[question id, [values]], ...]] written by the bench),
chosen so every outcome kind occurs; every fifth journey submits twice (a double click). Each
completed journey appends "token kind" to `JOURNEY_LOG`, for the integrity check afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, constant, task

PATHS = json.loads(Path(os.environ["JOURNEY_PATHS"]).read_text())
LOG = os.environ["JOURNEY_LOG"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHOWN = re.compile(r'name="shown" value="([^"]+)"')
TOKEN = re.compile(r"/a/([^/]+)/")
COUNTER = itertools.count()


def found(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    if match is None:
        raise AssertionError(f"{pattern.pattern} not on the page")
    return match.group(1)


class Respondent(HttpUser):
    wait_time = constant(0)

    def _post(self, url: str, page: str, data: dict, name: str):
        form = {"csrfmiddlewaretoken": found(CSRF, page), **data}
        with self.client.post(url, data=form, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code}")
            return response

    @task
    def journey(self) -> None:
        number = next(COUNTER)
        kind, steps = PATHS[number % len(PATHS)]
        home = self.client.get("/", name="home").text
        details = self._post("/start/", home, {}, "start")
        token = found(TOKEN, details.url)
        page = self._post(
            f"/a/{token}/details/",
            details.text,
            {
                "respondent_name": "Load Respondent",
                "respondent_email": "load@example.com",
                "organisation": "Bench",
                "project_name": f"Journey {number}",
                "project_description": "",
            },
            "details",
        )
        for question_id, values in steps:
            if f"/q/{question_id}/" not in page.url:
                page.failure(f"expected {question_id}, at {page.url}")
                return
            page = self._post(page.url, page.text, {"answer": values}, "question")
        if not page.url.endswith("/check/"):
            page.failure(f"expected the check page, at {page.url}")
            return
        shown = found(SHOWN, page.text)
        result = self._post(page.url, page.text, {"shown": shown}, "submit")
        if number % 5 == 0:  # a double click: the second submit must show the same result
            result = self._post(page.url, page.text, {"shown": shown}, "submit again")
        if not result.url.endswith("/result/") or f'data-outcome="{kind}"' not in result.text:
            result.failure(f"no {kind} result at {result.url}")
            return
        with open(LOG, "a") as log:
            log.write(f"{token} {kind}\n")
