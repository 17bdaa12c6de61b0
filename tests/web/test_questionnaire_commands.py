"""The Django side of the questionnaire: its system check and its management commands."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from assessment.models import Record
from assessment.questionnaire import CURRENT_VERSION, loader
from tests.factories import make_record


@pytest.fixture
def questionnaire_dir(tmp_path, monkeypatch):
    """A private copy of the shipped versions, so a test can add a broken or changed one."""
    shutil.copy(loader.DATA_DIR / "v1.toml", tmp_path / "v1.toml")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    loader.load.cache_clear()
    yield tmp_path
    loader.load.cache_clear()


def test_check_fails_naming_the_file_and_the_question(questionnaire_dir):
    broken = (questionnaire_dir / "v1.toml").read_text().replace('version = "v1"', 'version = "v2"')
    broken = broken.replace('next = "model_output"', 'next = "no_such_question"', 1)
    (questionnaire_dir / "v2.toml").write_text(broken)

    with pytest.raises(SystemCheckError) as error:
        call_command("check")

    message = str(error.value)
    assert "assessment.E001" in message
    assert "v2.toml" in message
    assert "no_such_question" in message and "model_for" in message


def test_check_passes_on_the_shipped_questionnaire():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


def test_questionnaire_json_counts_every_path_by_outcome():
    out = StringIO()
    call_command("questionnaire", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["version"] == CURRENT_VERSION
    assert "training_use" in summary["questions"]
    assert set(summary["outcomes"]) == {"permitted", "prohibited", "review"}
    assert all(count > 0 for count in summary["outcomes"].values())
    assert sum(summary["outcomes"].values()) == summary["paths"]


def test_questionnaire_graph_is_a_mermaid_flowchart():
    out = StringIO()
    call_command("questionnaire", "--graph", stdout=out)
    assert out.getvalue().startswith("flowchart")
    assert "training_use" in out.getvalue()


@pytest.mark.django_db
def test_reassess_never_counts_records_of_the_version_itself():
    for kind in ("permitted", "review", "prohibited"):
        make_record(kind=kind)
    out = StringIO()
    call_command("reassess", "--version", CURRENT_VERSION, stdout=out)
    checked = f"Checked 0 record(s) answered under other versions against {CURRENT_VERSION}"
    assert checked in out.getvalue()


@pytest.mark.django_db
def test_reassess_json_lists_v1_records_that_need_re_answer_under_v2():
    kept = make_record(
        version="v1", answers={"training_use": "no", "integration_use": ["product_features"]}
    )
    model = make_record(kind="permitted", version="v1")
    out = StringIO()
    call_command("reassess", "--version", "v2", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["from"] == ["v1"] and report["to"] == "v2" and report["records"] == 2
    assert report["changed"] == []
    assert report["unmappable"] == [
        {"reference": model.reference, "version": "v1", "from": "permitted", "needs": "serves"}
    ]
    assert kept.reference not in out.getvalue()


@pytest.mark.django_db
def test_reassess_reports_records_a_new_version_would_decide_otherwise(questionnaire_dir):
    permitted = make_record(kind="permitted", version="v1")
    prohibited = make_record(kind="prohibited", version="v1")
    outcome_id = permitted.outcome_ids.strip(";").split(";")[0]
    # v3 sends that permitted outcome to review instead.
    text = (questionnaire_dir / "v1.toml").read_text().replace('version = "v1"', 'version = "v3"')
    start = text.index(f"[outcomes.{outcome_id}]")
    kind_at = text.index('kind = "permitted"', start)
    text = text[:kind_at] + 'kind = "review"' + text[kind_at + len('kind = "permitted"') :]
    (questionnaire_dir / "v3.toml").write_text(text)

    out = StringIO()
    call_command("reassess", "--version", "v3", stdout=out)

    report = out.getvalue()
    assert f"{permitted.reference}: permitted → review under v3" in report
    assert prohibited.reference not in report
    assert "1 would change outcome" in report
    # Reported, never changed: the stored result stays as it was answered.
    assert Record.objects.get(pk=permitted.pk).outcome == "permitted"
    assert Record.objects.get(pk=permitted.pk).integrity_problems() == []


def test_questionnaire_diff_says_in_words_what_changed_from_v1_to_v2():
    out = StringIO()
    call_command("questionnaire", "--diff", "v1", "v2", stdout=out)
    text = out.getvalue()
    assert text.startswith("Changes from v1 to v2")
    assert "Added question “What will the model do when it is used?” (capabilities)." in text
    assert "Removed question “What will the model write?” (generation_kinds)." in text
    assert "Question outputs_role: added the answer “As a reward or preference signal”." in text
    assert "Added outcome prohibited_general_system" in text
    assert "Outcome prohibited_narrow_generator no longer cites C7c." in text
