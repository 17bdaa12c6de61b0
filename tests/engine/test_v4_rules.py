"""What v4 asks that v3 did not (v4.toml): facts a second newcomer's walkthrough found deciding an
outcome unasked, each of which let a realistic plan through as permitted under v3.

The paths of v4 as a whole are held to v2's rules (test_v2_paths.py) and to v3's additions
(test_v3_rules.py); these are the new ones.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessment import engine
from assessment.questionnaire import CURRENT_VERSION, Statement, load
from tests.engine.v2_support import closed, plan

V4 = load("v4")


def _result(answers: dict[str, Any]) -> engine.Result:
    evaluation = engine.evaluate(V4, closed(V4, answers))
    assert evaluation.complete, evaluation.next_question
    assert evaluation.result is not None
    return evaluation.result


def _facts(
    question_id: str, yes: tuple[str, ...] = (), not_sure: tuple[str, ...] = ()
) -> list[str]:
    """An answer to a facts question: "Yes" to `yes`, "Not sure" to `not_sure`, else "No"."""
    return [
        f"{s.value}:{'yes' if s.value in yes else 'not_sure' if s.value in not_sure else 'no'}"
        for s in V4.questions[question_id].statements
    ]


def _statement(question_id: str, value: str) -> Statement:
    return next(s for s in V4.questions[question_id].statements if s.value == value)


def _shown(question_id: str, value: str) -> str:
    """A statement's words as its page shows them: the statement, then its hint."""
    statement = _statement(question_id, value)
    return f"{statement.label} {statement.hint}"


def _without_training(fact: str | None, use: str = "product_features") -> dict[str, Any]:
    """The path with no training: one use, no other model built, "Yes" to `fact` at the end
    and "No" to the other statements (`fact` None: "No" to every one)."""
    return {
        "training_use": "no",
        "integration_use": [use],
        "develops_with_claude": "no",
        "use_facts": _facts("use_facts", yes=(fact,) if fact else ()),
    }


def _offered_as_a_service(use: str, does: tuple[str, ...] = ("categorization",)) -> dict[str, Any]:
    return {**plan(does=does, receives=("service_users",)), "service_use": use}


def test_v4_is_the_current_version() -> None:
    assert CURRENT_VERSION == "v4"


def test_a_model_offered_through_an_api_is_asked_what_customers_may_build_with_it() -> None:
    """The toxicity classifier sold as an API, which AI labs use to filter their language
    models' pre-training data: v3 had no place for customers of a service (no one "receives"
    the model), so it came out permitted."""
    asked = engine.evaluate(
        V4, closed(V4, plan(does=("categorization",), receives=("service_users",)))
    )
    assert asked.next_question is not None and asked.next_question.id == "service_use"
    labs = _result(_offered_as_a_service("ai_developers"))
    assert labs.kind == "prohibited"
    assert {"C5", "C6"} <= set(labs.clauses)
    assert "prohibited_service_for_ai_developers" in {o.id for o in labs.deciding}


@pytest.mark.parametrize(
    ("use", "kind"),
    [("ai_developers", "prohibited"), ("other_models", "review"), ("not_sure", "review"),
     ("no", "permitted")],
)  # fmt: skip
def test_what_customers_may_build_decides_with_the_rest(use: str, kind: str) -> None:
    assert _result(_offered_as_a_service(use)).kind == kind
    # The answer never lifts a finding of the model's own: a chatbot stays prohibited.
    assert _result(_offered_as_a_service(use, does=("chatbot",))).kind == "prohibited"


def test_claude_data_reused_for_another_model_of_ours_needs_a_review() -> None:
    """The same Claude labels also train another model of the organisation: this assessment
    describes only one model, so a reviewer checks the other (C2). For a general assistant the
    existing option still prohibits."""
    reused = _result(plan(does=("categorization",), serves=("own_product", "another_own_model")))
    assert reused.kind == "review"
    assert "review_reused_for_another_model" in {o.id for o in reused.deciding}
    assert "C2" in reused.clauses
    assistant = plan(does=("categorization",), serves=("another_own_model", "general_assistant"))
    assert _result(assistant).kind == "prohibited"


def test_companies_of_a_group_are_asked_about_as_outside_the_organisation() -> None:
    """A subsidiary whose parent's AI division takes the labelled data for the group's language
    model answered "no one outside our organisation": v3 said permitted. The group's other
    companies are now named as outside, and an AI developer among them prohibits."""
    recipients = V4.questions["recipients"]
    serves = V4.questions["serves"]
    for question in (recipients, serves):
        assert "(a parent, subsidiary or sister company)" in question.hint
    assert "a company of your group" in recipients.option("ai_developer").hint
    group_lab = plan(does=("sentiment",), receives=("ai_developer",))
    assert _result(group_lab).kind == "prohibited"
    # A group company with a model of another kind of its own has a place too: a reviewer.
    sister = _result(plan(does=("extraction",), receives=("other_company_model",)))
    assert sister.kind == "review"
    assert "review_third_party_model" in {o.id for o in sister.deciding}


def test_prompts_or_example_answers_for_another_model_count_as_helping_build_it() -> None:
    """Claude writing the system prompt and few-shot answers of a self-hosted open model: v3's
    question named only code, experiments and advice, and the plan came out permitted."""
    question = V4.questions["develops_with_claude"]
    assert "example answers (few-shot examples) that an AI model other than Claude is given" in (
        question.hint
    )
    result = _result(
        {
            "training_use": "no",
            "integration_use": ["product_features"],
            "develops_with_claude": "yes",
            "develops_with_claude_description": "Claude writes our Llama bot's prompt.",
        }
    )
    assert result.kind == "review"


def test_a_free_text_label_is_text_the_model_learns_to_write() -> None:
    """Transcripts, captions and translations are labels made of Claude's words: the labels
    option sends them to the text option, whose finding a reviewer decides."""
    labels = V4.questions["outputs_role"].option("labels")
    assert "free text (a transcript, caption, translation or answer)" in labels.hint
    assert _result(plan(does=("other",), outputs=("text_targets",))).kind == "review"


def test_a_guardrail_of_a_general_assistant_already_in_use_is_part_of_it() -> None:
    """A safety classifier in front of the team's own hosted open-source chat model: v4's first
    wording said "being built or trained", and a respondent whose chatbot already runs left it
    unticked (permitted). An assistant in use, with its guardrails, counts; Claude does not."""
    option = V4.questions["serves"].option("general_assistant")
    assert "already in use" in option.hint and "guardrail or safety filter" in option.hint
    assert "Not Claude itself" in option.hint
    assert "other than Claude" in V4.questions["serves"].option("own_product").hint
    guardrail = plan(does=("categorization",), serves=("own_product", "general_assistant"))
    assert _result(guardrail).kind == "prohibited"


def test_content_written_for_an_ai_developer_is_prohibited_without_training_too() -> None:
    """A translation agency whose customers include an AI lab collecting training data: the
    no-training path offered only "customers who might train models" (review), while the same
    fact on the training path prohibits (C6)."""
    result = _result(
        {
            "training_use": "no",
            "integration_use": ["customer_content", "ai_developer_content"],
            "develops_with_claude": "no",
        }
    )
    assert result.kind == "prohibited"
    assert {"C5", "C6"} <= set(result.clauses)
    assert "prohibited_third_party" in {o.id for o in result.deciding}


def test_distillation_in_one_field_is_distillation() -> None:
    """A coding agent fine-tuned on Claude's tool calls and reasoning, sold to developers: the
    option for imitating Claude said "in general", so the team chose only "Write or complete
    code" (review). Imitating Claude in one field is what the option now names, and the code
    option points to it for an agent."""
    imitate = V4.questions["capabilities"].option("imitate_claude")
    assert "in one field" in imitate.label and "actions as an agent" in imitate.hint
    assert "Answer, reason or act like Claude" in V4.questions["capabilities"].option("code").hint
    agent = plan(does=("code", "imitate_claude"), outputs=("text_targets",))
    result = _result(agent)
    assert result.kind == "prohibited"
    assert "prohibited_training_targets" in {o.id for o in result.deciding}
    # Autocomplete trained on Claude's completions alone stays with a reviewer (a kind the
    # policy does not name: the policy map's own example of "needs review").
    assert _result(plan(does=("code",), outputs=("text_targets",))).kind == "review"


def test_the_narrow_generator_finding_does_not_say_the_model_trains_on_claudes_text() -> None:
    """Claude only tests a narrow support bot trained on people's answers: the finding still
    prohibits (our reading 1), but no longer says the model is trained on Claude's outputs."""
    outcome = V4.outcomes["prohibited_narrow_generator"]
    assert outcome.title.startswith("Using Claude's outputs for a text-writing model")
    assert "trained, tested or developed with Claude's outputs" in outcome.explanation
    tested_only = plan(does=("support_chatbot",), outputs=("judgments",))
    assert _result(tested_only).kind == "prohibited"


@pytest.mark.parametrize(
    "plan_answers",
    [
        # A jailbreak filter trained on Claude's attacks, in front of a hosted quote bot.
        plan(does=("categorization",), outputs=("inputs_only",), serves=("text_writer",)),
        # A quality filter on Claude's labels that picks a contract-drafting model's corpus.
        plan(does=("categorization",), serves=("own_product", "text_writer")),
    ],
    ids=["guardrail", "data filter"],
)
def test_a_model_that_guards_or_feeds_a_narrow_text_writer_is_never_permitted(
    plan_answers: dict[str, Any],
) -> None:
    """Both came out permitted: the only option for the system was a *general-purpose* one."""
    result = _result(plan_answers)
    assert result.kind == "review"
    assert "review_serves_text_writer" in {o.id for o in result.deciding}
    assert {"C2", "C7b"} <= set(result.clauses)


def test_a_stand_in_for_claudes_behaviour_made_to_study_its_rules_is_reverse_engineering() -> None:
    """A surrogate classifier of Claude's refusals, built to map the rules of its safety
    training: the research option said "Nothing for use", so a team with a model skipped it."""
    research = V4.questions["capabilities"].option("research")
    assert "Nothing for use" not in research.label
    assert "with or without a model of your own" in research.hint
    surrogate = _result(plan(does=("categorization", "research")))
    assert surrogate.kind == "prohibited"
    assert "C7d" in surrogate.clauses


def test_an_agents_actions_are_what_it_learns_to_produce() -> None:
    """Behaviour cloning of Claude's clicks and tool calls: they are no labels."""
    outputs = V4.questions["outputs_role"]
    assert "tool calls as an agent" in outputs.option("text_targets").hint
    assert "an agent's action" in outputs.option("labels").hint


def test_publishing_claudes_text_as_a_dataset_needs_a_review_without_training_too() -> None:
    result = _result(
        {
            "training_use": "no",
            "integration_use": ["customer_content", "publish_dataset"],
            "develops_with_claude": "no",
        }
    )
    assert result.kind == "review"
    assert "review_open_dataset" in {o.id for o in result.deciding}


def test_labels_that_record_what_claude_did_are_never_permitted() -> None:
    """The surrogate of Claude's refusals, answered in a rush as a plain categorizer on "labels":
    permitted. The labels option now sends Claude's own behaviour to an option of its own."""
    outputs = V4.questions["outputs_role"]
    assert "what Claude itself did" in outputs.option("labels").hint
    surrogate = _result(plan(does=("categorization",), outputs=("claude_behaviour",)))
    assert surrogate.kind == "review"
    assert {"C2", "C7d"} <= set(surrogate.clauses)


def test_a_router_that_claude_labels_by_grading_another_models_answers_grades_that_model() -> None:
    """A router between a hosted Llama chat model and Claude, trained on Claude's verdicts on
    Llama's answers: "a feature of our own" and "labels" made it permitted. The labels option
    now says grading another model's answers is grading that model, and routers belong to the
    assistant they route for."""
    labels_hint = V4.questions["outputs_role"].option("labels").hint
    assert "another AI model's answers, Claude is grading that model" in labels_hint
    assistant = V4.questions["serves"].option("general_assistant").hint
    assert "a router or cascade that decides when it answers" in assistant
    router = plan(
        does=("categorization",), outputs=("labels", "judgments"), serves=("general_assistant",)
    )
    assert _result(router).kind == "prohibited"


def test_a_team_that_calls_soft_labels_distillation_is_pointed_away_from_it() -> None:
    """A classifier trained on Claude's soft sentiment labels is not distillation of Claude."""
    hint = V4.questions["capabilities"].option("imitate_claude").hint
    assert "even if your team calls it distillation" in hint
    assert _result(plan(does=("sentiment",))).kind == "permitted"


def test_studying_claudes_rules_without_any_model_is_reverse_engineering() -> None:
    """Charting which prompts Claude refuses for a blog post, no model at all: answered "To
    analyse or structure our data", it was permitted. The no-training path has the option too,
    and the analysis option says it is about the respondent's own data."""
    uses = V4.questions["integration_use"]
    assert "Not Claude's own answers collected to study Claude" in uses.option("data_analysis").hint
    result = _result(
        {"training_use": "no", "integration_use": ["study_claude"], "develops_with_claude": "no"}
    )
    assert result.kind == "prohibited"
    assert "C7d" in result.clauses


def test_a_client_that_builds_chatbots_is_an_ai_developer_whatever_the_model_is_for() -> None:
    """A consultancy delivers a sentiment model to a client that develops a chatbot: the
    client option's hint sent respondents to the AI-developer option only for data, so the
    plan came out permitted (a sixth walkthrough). Reading 4: prohibited whatever it is for."""
    recipients = V4.questions["recipients"]
    assert "of any kind, choose that option too, whatever this model is for" in (
        recipients.option("client").hint
    )
    assert "even one only for its own product" in recipients.option("ai_developer").hint
    assert _result(plan(does=("sentiment",), receives=("client",))).kind == "permitted"
    delivered = _result(plan(does=("sentiment",), receives=("client", "ai_developer")))
    assert delivered.kind == "prohibited"
    assert "C6" in delivered.clauses


def test_prompts_written_for_a_clients_own_model_go_to_a_reviewer() -> None:
    """A prompt agency writes few-shot dialogues for clients' self-hosted chat models: no model
    learns from them, the content option said "for them to read or use", and the question
    about building models with Claude named only the organisation's own; permitted."""
    uses = V4.questions["integration_use"]
    assert "not as prompts, instructions, example answers or documents" in (
        uses.option("customer_content").hint
    )
    assert "prompt" in uses.option("customer_training_data").label
    assert V4.questions["develops_with_claude"].text.endswith("yours or a client's?")
    for answers in (
        {"integration_use": ["customer_training_data"], "develops_with_claude": "no"},
        {
            "integration_use": ["customer_content"],
            "develops_with_claude": "yes",
            "develops_with_claude_description": "Few-shot dialogues for a client's Llama bot.",
        },
    ):
        assert _result({"training_use": "no", **answers}).kind == "review"


def test_the_first_question_counts_claudes_outputs_inside_logs_and_not_claude_itself() -> None:
    """Training on product logs that hold Claude's accepted suggestions was answered "No" (the
    question named only datasets); testing a Claude-based product with Claude as the grader was
    answered "Yes" and came out prohibited, though Claude itself is no model of one's own."""
    hint = V4.questions[V4.first].hint
    assert "product logs, chat transcripts or feedback that hold Claude's" in hint
    assert "if the only model tested is Claude in your own product" in hint


def test_text_about_code_is_text_the_model_writes() -> None:
    """A docstring generator trained on Claude's docstrings was answered "Write or complete
    code" alone (a reviewer); docstrings are free text of one kind (reading 1)."""
    assert "Docstrings, code comments" in V4.questions["capabilities"].option("code").hint
    result = _result(plan(does=("code", "narrow_writer"), outputs=("text_targets",)))
    assert result.kind == "prohibited"


def test_what_decides_an_outcome_is_in_the_labels_busy_respondents_read() -> None:
    """A seventh walkthrough answered as a busy engineer, reading labels and hints only when
    unsure, and four plans came out permitted: the words that would have stopped them were only
    in hints. Each is now in the label of the option that was wrongly chosen."""
    recipients = V4.questions["recipients"]
    no_ai_developer = "develops no language models, chatbots or AI assistants"
    # A client building an internal chatbot; a contractor who builds chatbots for others.
    assert no_ai_developer in recipients.option("client").label
    assert no_ai_developer in recipients.option("contractor").label
    assert "not a language model, chatbot or AI assistant" in (
        recipients.option("other_company_model").label
    )
    # A cascade router trained on Claude's marks of a hosted Llama support bot's answers.
    serves = V4.questions["serves"]
    assert (
        "not part of, routing to or choosing the training data of a chatbot, auto-reply, "
        "assistant, translator or text writer" in (serves.option("own_product").label)
    )
    assert "a router or cascade that decides when it answers" in serves.option("text_writer").hint
    cascade = plan(
        does=("categorization",), outputs=("labels", "judgments"), serves=("text_writer",)
    )
    assert _result(cascade).kind == "review"
    # A claims extractor that also writes a short loss description; sentiment with a reason.
    outputs = V4.questions["outputs_role"]
    assert "no text Claude wrote" in outputs.option("labels").label
    assert "even a one-line reason" in outputs.option("text_targets").label
    for does in (("extraction",), ("sentiment",)):
        assert _result(plan(does=does, outputs=("text_targets",))).kind != "permitted"


def test_a_model_shipped_on_users_devices_has_an_option_of_its_own() -> None:
    """An on-device receipt extractor inside an app, answered as customers using the model
    through a product, was permitted twice: the hint that pointed to released weights went
    unread, and "released openly" does not sound like shipping an app (an eighth walkthrough)."""
    recipients = V4.questions["recipients"]
    assert "runs on their own devices" in recipients.option("service_users").hint
    assert "with the model inside" in recipients.option("on_devices").label
    result = _result(plan(does=("extraction",), receives=("on_devices",)))
    assert result.kind == "review"
    assert "review_model_on_devices" in {o.id for o in result.deciding}


def test_grading_another_models_answers_is_never_permitted_by_itself() -> None:
    """A translation quality estimator trained on Claude's grades of a vendor's machine
    translations, answered "Sort content into categories", "labels", "grade or test" and "a
    feature of our own", was permitted: grading another model had no option of its own, and a
    translation engine did not read as a text-writing model."""
    outputs = V4.questions["outputs_role"]
    assert outputs.option("judgments").label == "To grade or test this model"
    assert "another AI model" in outputs.option("grades_other_model").label
    assert "translation" in V4.questions["serves"].option("text_writer").label
    estimator = plan(does=("categorization",), outputs=("labels", "grades_other_model"))
    result = _result(estimator)
    assert result.kind == "review"
    assert "review_grades_another_model" in {o.id for o in result.deciding}
    # The other model being a general assistant still decides (reading 26).
    assistant = plan(
        does=("categorization",),
        outputs=("labels", "grades_other_model"),
        serves=("general_assistant",),
    )
    assert _result(assistant).kind == "prohibited"


def test_a_partner_that_keeps_claudes_data_is_a_recipient_of_unknown_purpose() -> None:
    """Claude-labelled reviews licensed to a market-research firm, answered "a client or
    partner who uses it only for the job we described", were permitted."""
    recipients = V4.questions["recipients"]
    assert "runs the model we built" in recipients.option("client").label
    assert "keep Claude-generated data" in recipients.option("unknown_buyers").label
    licensed = plan(does=("sentiment", "categorization"), receives=("unknown_buyers",))
    result = _result(licensed)
    assert result.kind == "review"
    # Its finding speaks of data kept, not only of a purpose nobody knows.
    (kept,) = [o for o in result.deciding if o.id == "review_recipient_keeps_data"]
    assert "delivered for others to keep" in kept.explanation


def test_a_permitted_model_says_other_models_claude_helps_build_are_assessed_on_their_own() -> None:
    """A sentiment team that also has Claude debug the code of a reply-writing model was told
    "permitted": the training path describes one model, and only the no-training path asks
    whether Claude helps build a model in another way. Every permitted finding of the training
    path says that another model needs an assessment of its own."""
    result = _result(plan(does=("sentiment",)))
    assert result.kind == "permitted"
    for outcome in result.outcomes:
        assert any(
            "assess any other model that Claude helps build" in s for s in outcome.next_steps
        )
    training_path_permits = [
        o for o in V4.outcomes.values() if o.kind == "permitted" and "no_" not in o.id
    ]
    assert len(training_path_permits) == 6
    for outcome in training_path_permits:
        assert "This assessment covers this model only" in outcome.next_steps[-1]


def test_a_favourable_but_true_answer_finds_no_option_that_lets_text_through() -> None:
    """A ninth walkthrough picked, for each question, the most favourable option still true of
    the plan, and four plans came out permitted: a keyword generator answered as labels, a
    grammar checker built as an edit tagger, help-centre documents a client's vendor chatbot
    answers from, and an essay grader answered as categories."""
    outputs = V4.questions["outputs_role"]
    capabilities = V4.questions["capabilities"]
    uses = V4.questions["integration_use"]
    assert "keywords, tags or titles that Claude wrote" in outputs.option("labels").hint
    assert capabilities.option("categorization").label.startswith(
        "Sort content (not people, patients, claims or applications) into categories you set"
    )
    assert "Keywords, tags or titles that the model writes itself, and tags your product" in (
        capabilities.option("categorization").hint
    )
    assert "suggested rewrites" in capabilities.option("narrow_writer").label
    assert "edit tags that become corrections" in capabilities.option("narrow_writer").hint
    assert "documents that an AI model other than Claude is given or answers from" in (
        uses.option("customer_content").hint
    )
    assert "people's work" in capabilities.option("scoring").label
    # Answered with the options the wording now points to, none is permitted.
    assert _result(plan(does=("semantic_search",), outputs=("text_targets",))).kind != "permitted"
    assert _result(plan(does=("narrow_writer",), outputs=("labels",))).kind == "prohibited"
    assert _result(plan(does=("scoring",))).kind == "review"
    faq = {"training_use": "no", "integration_use": ["customer_training_data"]}
    assert _result({**faq, "develops_with_claude": "no"}).kind == "review"


def test_an_agents_tool_choice_is_an_action_it_learns_not_a_record_of_claude() -> None:
    """Tool selection learned from Claude's agent traces was answered with the record of
    Claude's behaviour, whose example was "Which tool Claude chose": a review, where reading 23
    makes an agent's actions training targets."""
    behaviour = V4.questions["outputs_role"].option("claude_behaviour")
    assert all("tool" not in example for example in behaviour.examples)
    assert "which tool to call" in behaviour.hint


def test_every_option_a_hint_names_is_an_option_of_the_questionnaire() -> None:
    """Hints send respondents to other options by their labels (“Write one kind of text”):
    a label reworded without its references would send them to an option that is not there."""
    labels = [option.label for question in V4.questions.values() for option in question.options]
    hints = [question.hint for question in V4.questions.values()]
    for question in V4.questions.values():
        hints += [option.hint for option in question.options]
        hints += [statement.hint for statement in question.statements]
    named = {name for hint in hints for name in re.findall(r"“([^”]+)”", hint or "")}
    assert "Write one kind of text" in named
    missing = {name for name in named if not any(label.startswith(name) for label in labels)}
    assert missing == set()


def test_the_tenth_walkthroughs_permitted_plans_now_find_their_option() -> None:
    """An ML engineer mapping jargon onto the wording found six plans permitted: an intent
    model for a client's support bot, punctuation restoration as token tags, help articles a
    vendor's bot answers from, a CV reranker, a reranker API inside customers' GPT chatbots,
    and Claude checking a hosted Llama chatbot's answers live, with no model trained."""
    serves = V4.questions["serves"]
    capabilities = V4.questions["capabilities"]
    uses = V4.questions["integration_use"]
    assert "an AI model other than Claude uses it" in uses.option("product_features").hint
    assert "not part of a chatbot or text-writing model" in serves.option("client_product").label
    assert "not tags that become text" in capabilities.option("categorization").label
    assert "not people or their work" in capabilities.option("semantic_search").label
    assert "run" in V4.questions["service_use"].option("ai_developers").label
    no_training = {"training_use": "no", "develops_with_claude": "no"}
    for use in ("other_model_content", "checks_other_model"):
        result = _result({**no_training, "integration_use": ["product_features", use]})
        assert result.kind == "review", use
        assert "C2" in result.clauses
    reranker_in_their_chatbots = _offered_as_a_service("ai_developers", does=("semantic_search",))
    assert _result(reranker_in_their_chatbots).kind == "prohibited"


def test_the_eleventh_walkthroughs_permitted_plans_now_find_their_option() -> None:
    """A hurried respondent, labels only, in images, audio, robotics and regulated sectors: an
    OCR model on Claude's transcriptions and an adverse-event extractor writing narratives as
    "fields"; a robot skill selector as "categories"; pupils' reading levels, loan decisions and
    benefit eligibility as "categories"; a voice assistant's router to a hosted open model as
    "a feature of our own"; prompts for a hosted image model as "features in our products"."""
    outputs = V4.questions["outputs_role"]
    capabilities = V4.questions["capabilities"]
    labels = outputs.option("labels").label
    assert "no text Claude wrote, worded or transcribed (not even a reason" in labels
    assert "not transcriptions, narratives" in capabilities.option("extraction").label
    categories = capabilities.option("categorization").label
    assert "not grades, predictions or decisions about people" in categories
    assert "not an AI agent's or robot's next action or tool" in categories
    assert "routing to" in V4.questions["serves"].option("own_product").label
    features = V4.questions["integration_use"].option("product_features").label
    assert "not as prompts or data for another AI model" in features
    # Answered with the options the labels now point to, none is permitted.
    assert _result(plan(does=("narrow_writer",), outputs=("text_targets",))).kind == "prohibited"
    assert _result(plan(does=("imitate_claude",), outputs=("text_targets",))).kind == "prohibited"
    assert _result(plan(does=("scoring",))).kind == "review"
    router = plan(does=("categorization",), serves=("own_product", "general_assistant"))
    assert _result(router).kind == "prohibited"


def test_the_thirteenth_walkthroughs_permitted_plans_now_find_their_option() -> None:
    """Hurried and favourable respondents re-tested earlier fixes in new words, and ten plans
    came out permitted: help articles for a self-hosted bot and content for a chatbot builder as
    "content for our customers"; a spam model inside an Android app as "no one outside"; a
    live checker of a hosted bot; keywords and benefit decisions as extracted fields; a label
    with a one-sentence reason; tagged reviews sold on; a recommender trained on Claude's
    preferences, even answered "reward or preference signal"; a predictor of Claude's
    refusals as labels."""
    uses = V4.questions["integration_use"]
    capabilities = V4.questions["capabilities"]
    recipients = V4.questions["recipients"]
    assert "not for an AI model" in uses.option("customer_content").label
    assert "not sold or handed to others" in uses.option("data_analysis").label
    assert "runs only on our own systems" in recipients.option("nobody").label
    assert "keywords, names or titles Claude worded, or decisions about people" in (
        capabilities.option("extraction").label
    )
    assert "not recommendations" in capabilities.option("semantic_search").label
    assert "what Claude itself did" in V4.questions["outputs_role"].option("labels").label
    assert "or live" in " ".join(V4.questions[V4.first].examples)
    # A preference signal is never permitted, whatever the model ranks.
    recommender = plan(does=("semantic_search",), outputs=("labels", "reward"))
    result = _result(recommender)
    assert result.kind == "review"
    assert "review_preference_signal" in {o.id for o in result.deciding}


def test_the_facts_questions_ask_each_deciding_fact_and_no_leaves_the_result() -> None:
    """What thirteen walkthroughs found through option labels, asked directly: every statement
    is answered on its own ("No" is never a default), any "Yes" keeps a plan from being
    permitted, "Not sure" is a review of its own, and "No" to every one leaves the result to the
    other answers."""
    sentiment = plan(does=("sentiment",))
    assert _result({**sentiment, "model_facts": _facts("model_facts")}).kind == "permitted"
    # A sentiment label is not words the model writes (a fourteenth walkthrough read it so).
    assert "picks a category from a list you set" in _shown("model_facts", "writes_words")
    own_finding = {
        "writes_words": "review_writes_words",
        "picks_messages": "review_auto_reply",
        "about_people": "review_about_people",
        "decides_for_people": "review_about_people",
        "predicts_people": "review_about_people",
        "claude_prefers": "review_preference_signal",
        "agent_actions": "review_agent_actions",
        "predicts_claude": "review_models_claudes_behaviour",
        "chatbot_part": "review_serves_text_writer",
        "data_handed_over": "review_recipient_keeps_data",
        "feeds_other_model": "review_reused_for_another_model",
        "on_devices": "review_model_on_devices",
    }
    assert [s.value for s in V4.questions["model_facts"].statements] == list(own_finding)
    for fact, finding in own_finding.items():
        result = _result({**sentiment, "model_facts": _facts("model_facts", yes=(fact,))})
        assert result.kind == "review", fact
        assert finding in {o.id for o in result.deciding}, fact
        unsure = _result({**sentiment, "model_facts": _facts("model_facts", not_sure=(fact,))})
        assert [o.id for o in unsure.deciding] == ["review_not_sure"], fact
    expected = {
        "another_model_uses": "review",
        "tests_model": "review",
        "compared_with_model": "review",
        "helps_build_model": "review",
        "ai_company": "prohibited",
        "leaves_as_data": "review",
        "studies_claude": "prohibited",
    }
    assert [s.value for s in V4.questions["use_facts"].statements] == list(expected)
    assert _result(_without_training(None)).kind == "permitted"
    for value, kind in expected.items():
        assert _result(_without_training(value)).kind == kind, value


@pytest.mark.parametrize("question_id", ["model_facts", "use_facts"])
def test_a_facts_page_is_refused_until_every_statement_is_answered(question_id: str) -> None:
    """The hurried reader's way past a list ("None of these") does not exist: each statement
    needs its own Yes, No or Not sure, and two answers to one statement are refused."""
    question = V4.questions[question_id]
    every = _facts(question_id)
    for missing in range(len(every)):
        partial = every[:missing] + every[missing + 1 :]
        with pytest.raises(engine.AnswerError, match="for every statement"):
            engine.normalize(question, partial)
    first = question.statements[0].value
    with pytest.raises(engine.AnswerError, match="Select one answer for"):
        engine.normalize(question, [*every, f"{first}:yes"])
    with pytest.raises(engine.AnswerError):
        engine.normalize(question, [*every[1:], "none"])
    # Stored in the statements' order, whatever order the page sent them in.
    assert engine.normalize(question, list(reversed(every))) == every


def test_the_fifteenth_walkthroughs_findings_are_in_the_labels() -> None:
    """A busy product lead who takes the first true option: a writer of quarterly commentary
    took "Write summaries" (a reviewer, where the policy prohibits a narrow text writer); a
    triage classifier passed the closing question, whose examples of decisions about people
    named no patients; a careful respondent read the no-training path's question as asking
    about every model the organisation trains."""
    summaries = V4.questions["capabilities"].option("summarization")
    assert "not commentary or reports written from figures or data" in summaries.label
    assert "“Write one kind of text”" in (summaries.hint or "")
    commentary = plan(does=("narrow_writer",), outputs=("text_targets",))
    assert _result(commentary).kind == "prohibited"
    about_people = _shown("model_facts", "decides_for_people")
    assert "patients" in about_people and "claims" in about_people
    assert (
        (V4.questions["develops_with_claude"].hint or "")
        .strip()
        .startswith("Answer for the use of Claude you are assessing")
    )


def test_an_auto_reply_that_picks_claudes_ready_written_replies_is_a_chatbot() -> None:
    """A favourable respondent called a model that picks one of forty replies Claude wrote,
    sent to customers unchecked, a routing classifier: permitted, since the label it picks
    came from a set the team defined and "chatbot" was nowhere defined. An auto-reply is now
    named wherever a chatbot is, and the closing question's text option counts a label that
    stands for a reply sent to people."""
    assert "auto-reply" in _shown("model_facts", "picks_messages")
    assert _statement("model_facts", "picks_messages").label.startswith(
        "It picks a ready-written reply or message"
    )
    serves = V4.questions["serves"]
    assert "auto-reply" in serves.option("own_product").label
    assert "auto-reply" in serves.option("text_writer").label
    assert "ready-written reply" in (
        V4.questions["capabilities"].option("categorization").hint or ""
    )
    auto_reply = plan(does=("categorization",), serves=("text_writer",))
    assert _result(auto_reply).kind == "review"


def test_the_sixteenth_walkthroughs_benign_plans_are_not_caught_by_the_closing_wording() -> None:
    """A re-check of the fixes above: a hurried respondent ticked "text that people read" for
    sentiment labels on a dashboard (the exclusion came last in a long parenthesis), and
    "published" for product descriptions on a website; referral urgency and insurance claims
    were read as "content" to sort."""
    writes = _statement("model_facts", "writes_words").label
    assert writes.startswith("It writes or rewrites text, even a few words")
    as_data = _statement("use_facts", "leaves_as_data").label
    assert as_data.startswith("It is sold, licensed, handed over or published as a dataset")
    categories = V4.questions["capabilities"].option("categorization").label
    assert "decisions about people or their insurance or benefit claims, applications or care" in (
        categories
    )


def test_a_prediction_of_what_a_person_will_do_is_not_content_to_sort() -> None:
    """A researcher took "Sort content into categories" for a model that predicts which panel
    members will not answer a survey, trained on records Claude wrote: permitted, where a
    model about people goes to a reviewer."""
    categories = V4.questions["capabilities"].option("categorization")
    assert "predictions or decisions about people" in categories.label
    assert "who will churn, default or not respond" in (categories.hint or "")
    predicts = _statement("model_facts", "predicts_people").label
    assert predicts.startswith("It predicts what a person will do")
    non_response = plan(does=("scoring",), outputs=("labels", "inputs_only"))
    assert _result(non_response).kind == "review"


def test_the_seventeenth_walkthroughs_client_work_finds_its_options() -> None:
    """An agency reading labels literally: a toxicity model shipped inside a client's game was
    permitted, since the devices option said "of ours"; a client's website content was read as
    data handed to another company; the closing questions had no "Not sure" to answer with."""
    recipients = V4.questions["recipients"]
    assert "ours or a client's" in recipients.option("on_devices").label
    assert "inside an app, game or device" in (recipients.option("client").hint or "")
    in_clients_game = plan(does=("categorization",), receives=("client", "on_devices"))
    assert _result(in_clients_game).kind == "review"
    as_data = _shown("use_facts", "leaves_as_data")
    # A careful re-check ticked it for sales reports sold to customers, who keep them.
    assert "Reports or other content for them to read, publish or show do not count" in as_data
    for facts in ("model_facts", "use_facts"):
        assert all(
            s.options[2].label.endswith(": Not sure") for s in V4.questions[facts].statements
        )


def test_a_model_on_users_devices_is_asked_again_before_the_result() -> None:
    """A hurried agency respondent ticked only the first true recipient, the client, for a spam
    model inside the client's mobile app: permitted. The client option now says the client runs
    it on its own servers, and the closing question asks about devices directly."""
    assert "on its own servers" in V4.questions["recipients"].option("client").label
    in_the_app = plan(does=("categorization",), receives=("client",))
    answers = {**in_the_app, "model_facts": _facts("model_facts", yes=("on_devices",))}
    result = _result(answers)
    assert result.kind == "review"
    assert "review_model_on_devices" in {o.id for o in result.deciding}


def test_a_careful_respondent_s_benign_plans_find_benign_options() -> None:
    """A data-protection officer ticking every true option sent a duplicate-ticket flagger to
    a reviewer ("compare … other data") and a redaction model too ("edits that become text")."""
    scoring = V4.questions["capabilities"].option("scoring")
    assert scoring.label.endswith("how good one is, or which is better")
    assert "(duplicates, matches) is search" in (scoring.hint or "")
    writes = _shown("model_facts", "writes_words")
    assert "copies words exactly as they are in its input" in writes
    duplicates = plan(does=("semantic_search",))
    assert _result(duplicates).kind == "permitted"


def test_predictive_text_is_writing_any_text() -> None:
    """A favourable product manager took "Something else" for a keyboard's next-word model
    trained on Claude's text (a reviewer, where the policy prohibits a model that learns to
    write language): predictive text is now named where open-ended writing is, and on the
    closing question."""
    open_text = V4.questions["capabilities"].option("open_text")
    assert "predict the next words of whatever they type" in open_text.label
    assert "even a few" in _statement("model_facts", "writes_words").label
    keyboard = plan(does=("open_text",), outputs=("text_targets",))
    assert _result(keyboard).kind == "prohibited"


def test_a_vendor_that_may_improve_its_models_with_claudes_output_is_not_a_processor() -> None:
    """An operations manager sent Claude's conversation logs to an analytics vendor whose terms
    let it improve its models, answered "No" to training (the logs go for dashboards) and read
    "a dataset to keep" narrowly: permitted. The first question and the closing option now
    count anyone whose terms let them train or improve their models with it."""
    first = V4.questions[V4.first].hint or ""
    assert "anyone whose terms let them use it to train or improve" in first
    as_data = _shown("use_facts", "leaves_as_data")
    assert "whose terms let it use what it receives to improve its models or services" in as_data
    assert _result(_without_training("leaves_as_data")).kind == "review"


def test_a_ready_written_message_picked_for_people_is_an_auto_reply_s() -> None:
    """A favourable respondent read every "reply" literally: a model that picks which of twenty
    ready-written promotional emails each customer is sent, trained on Claude's choices, passed
    as content to sort and "None of these" (it answers nothing). A message picked for people
    without a person choosing is named wherever a reply is (reading 41)."""
    picks = _shown("model_facts", "picks_messages")
    assert "notifications or promotional emails" in picks
    assert "without a person choosing" in picks
    categories = V4.questions["capabilities"].option("categorization").hint or ""
    assert "reply or message (an email, a notification) is sent to people" in categories
    promotions = plan(does=("categorization",))
    picked = {**promotions, "model_facts": _facts("model_facts", yes=("picks_messages",))}
    assert _result(picked).kind == "review"


def test_a_filter_of_another_models_training_data_is_asked_before_the_result() -> None:
    """A hurried lead ticked "a feature or tool of our own" for a classifier that keeps only
    good code snippets as the fine-tuning data of the team's code-completion model, and "None of
    these" (its only data-filter fact named chatbots and text writers): permitted. The closing
    question asks about another model's data of any kind (readings 3, 16, 40)."""
    feeds = _shown("model_facts", "feeds_other_model")
    assert "trains, tests or chooses the data of another AI model" in feeds
    assert "of any kind, yours or anyone's" in feeds.lower()
    snippet_filter = plan(does=("categorization",))
    feeding = _facts("model_facts", yes=("feeds_other_model",))
    result = _result({**snippet_filter, "model_facts": feeding})
    assert result.kind == "review"
    assert "review_reused_for_another_model" in {o.id for o in result.deciding}


def test_the_twenty_second_walkthroughs_safer_results_read_as_they_should() -> None:
    """A robotics lead took "a record of what Claude itself did" for a fleet planner trained on
    Claude's plans (a review, where actions the model learns are prohibited), and answered Yes
    to "does Claude help build any AI model" for engineers' unrelated use of Claude Code."""
    record = V4.questions["outputs_role"].option("claude_behaviour").label
    assert "for a model that learns to predict Claude" in record
    assert "not actions or plans the model learns to take" in record
    assert "plans" in V4.questions["outputs_role"].option("text_targets").label
    develops = V4.questions["develops_with_claude"].text
    assert develops.startswith("In the use you are assessing")
    # A re-check: a hurried engineer took "a tool of our own" for the quality scorer of a chat
    # model's pre-training data (the label excluded only "part of or routing to").
    own = V4.questions["serves"].option("own_product").label
    assert "choosing the training data of a chatbot" in own
    planner = _result(plan(does=("other",), outputs=("text_targets",)))
    assert planner.kind == "review"
    assert "review_text_targets" in {o.id for o in planner.deciding}


def test_a_title_claude_words_is_text_not_an_extracted_field() -> None:
    """A researcher took "Pull fields … normalised" and "short values taken from the input" for
    a seq2seq model trained on job titles Claude normalised in its own words: permitted, where a
    title Claude wrote rather than picked from the team's list is text the model learns to
    write (reading 35). "Normalised" now means a standard format (dates, amounts)."""
    extraction = V4.questions["capabilities"].option("extraction")
    assert "in a standard format (dates, amounts)" in extraction.label
    assert "normalised" not in extraction.label
    assert "A name or title that Claude words itself (a job title" in (extraction.hint or "")
    labels = V4.questions["outputs_role"].option("labels").label
    assert "(not even a reason or a title)" in labels
    assert "a title" in _statement("model_facts", "writes_words").label
    titles = plan(does=("narrow_writer",), outputs=("text_targets",))
    assert _result(titles).kind != "permitted"


def test_a_permitted_result_waits_for_the_reviewer_s_confirmation_in_its_own_words() -> None:
    """Two walkers read "Proceed." under "a compliance reviewer confirms every permitted
    result" as a contradiction: every permitted finding's next step now says to wait for it."""
    for outcome in V4.outcomes.values():
        if outcome.kind == "permitted":
            assert outcome.next_steps[0].startswith(
                "Proceed once a compliance reviewer has confirmed this result"
            ), outcome.id


def test_claudes_accepted_suggestions_in_another_team_s_training_data_are_asked_about() -> None:
    """A product manager whose team trains nothing answered "No" for reply suggestions that
    agents accept and send, which another team's reply-drafting model is fine-tuned on from the
    ticket history, and "None of these" (the history read as the agents' replies): permitted.
    The no-training closing option names logs, tickets and records anywhere in the organisation;
    a vendor whose terms say "improve its services" was read past "improve its own models"."""
    another = _shown("use_facts", "another_model_uses")
    assert "anywhere in your organisation" in another
    assert "trained on logs, tickets or feedback that hold what Claude wrote or suggested" in (
        another
    )
    assert "improve its models or services" in _shown("use_facts", "leaves_as_data")
    result = _result(_without_training("another_model_uses"))
    assert result.kind == "review"
    explained = {o.id: o.explanation for o in result.deciding}
    assert "in logs, tickets or records too" in explained["review_content_for_another_model"]


def test_a_consultancy_s_handed_over_data_and_training_advice_are_asked() -> None:
    """A consultancy's hurried lead: a transaction categoriser handed to a bank with its
    Claude-labelled training set, answered as "a client who runs the model" (the data was only
    in a hint), and an evaluation report with advice for the next training round of a client's
    model, answered "No" to building a model (the advice was only in the hint): both permitted.
    The client option and both closing questions now ask those facts."""
    client = V4.questions["recipients"].option("client").label
    assert "keeps none of the Claude-generated data" in client
    handed = _shown("model_facts", "data_handed_over")
    assert handed.startswith("Another company receives or keeps the data Claude produces")
    assert "A client, a partner, a buyer" in handed
    categoriser = plan(does=("categorization",), serves=("client_product",), receives=("client",))
    assert _result(categoriser).kind == "permitted"
    handed_facts = _facts("model_facts", yes=("data_handed_over",))
    handed_over = _result({**categoriser, "model_facts": handed_facts})
    assert handed_over.kind == "review"
    assert "review_recipient_keeps_data" in {o.id for o in handed_over.deciding}
    builds = _shown("use_facts", "helps_build_model")
    assert "a report on how it performs, or advice on how to train it" in builds
    advised = _result(_without_training("helps_build_model", use="customer_content"))
    assert advised.kind == "review"
    assert "review_develops_with_claude" in {o.id for o in advised.deciding}


def test_studying_claudes_writing_is_permitted_and_a_draft_model_is_distillation() -> None:
    """Walkthroughs 29-30: a student capstone comparing Claude's essays with the students' own
    had no use to tick but "Something else" (a reviewer) on the path with no training; an
    agent platform's draft model for speculative decoding, which learns Claude's next words,
    was ticked "Something else" too, since distillation's option never named it. And a
    fact-checking team read "their claims" as the factual claims it sorts."""
    uses = V4.questions["integration_use"]
    study = uses.option("study_outputs")
    assert study.label.startswith("To read, study or try out what Claude writes, ourselves")
    assert study.label.endswith("not to compare it with another AI model")
    assert "another AI model" in (study.hint or "") and "how Claude was trained" in (
        study.hint or ""
    )
    studied = _result(_without_training(None, use="study_outputs"))
    assert studied.kind == "permitted"
    # Its finding says what was done: not "in your applications" (a re-check read it so).
    (finding,) = studied.deciding
    assert finding.title.startswith("Reading, studying or trying out Claude's outputs")
    # Comparing Claude with another model is not this option's: it stays with a reviewer.
    compared = _without_training(None, use="checks_other_model")
    assert _result(compared).kind == "review"
    imitate = V4.questions["capabilities"].option("imitate_claude")
    assert "speculative decoding" in (imitate.hint or "")
    assert _result(plan(does=("imitate_claude",))).kind == "prohibited"
    categories = V4.questions["capabilities"].option("categorization").label
    assert "insurance or benefit claims" in categories


def test_claude_compared_with_another_model_to_choose_a_vendor_is_asked_before_the_result() -> None:
    """A re-check of walkthroughs 29-30 (a hurried product person): a data-science team that
    compares Claude's answers to 200 support questions with GPT-4o's, to pick a vendor, ticked
    "To power features in our products" and "None of these": permitted, where a comparison
    with another model tests it (readings 22, 33). The no-training closing question asks it,
    whoever compares; a draft model's "record of what Claude did" is sent to the text option."""
    compared = _shown("use_facts", "compared_with_model")
    assert compared.startswith("Its answers are compared with another AI model's")
    assert "By people or by a program" in compared
    assert "to choose between AI models or vendors" in compared
    vendor_choice = _result(_without_training("compared_with_model"))
    assert vendor_choice.kind == "review"
    (finding,) = vendor_choice.deciding
    assert finding.id == "review_compared_with_another_model"
    assert "by people or by a program" in finding.explanation
    people_compare = V4.questions["integration_use"].option("checks_other_model").hint or ""
    assert "people compare Claude's answers with another model's" in people_compare
    behaviour = V4.questions["outputs_role"].option("claude_behaviour").hint or ""
    assert "a draft model for speculative decoding" in behaviour


def test_which_of_two_rankings_claude_preferred_is_not_a_label() -> None:
    """Walkthrough 32 (a hurried lead, off-persona run): Claude's judgments of which of two
    search rankings is better, training a site-search ranker, ticked "As labels, scores or
    fields" and "None of these" at the end: permitted, where a preference signal goes to a
    reviewer whatever the model ranks (reading 39). The labels option now excludes it by name."""
    roles = V4.questions["outputs_role"]
    labels = roles.option("labels")
    assert labels.label.endswith("nor which of two answers, items or rankings Claude preferred")
    assert "choose “As a reward or preference signal”" in (labels.hint or "")
    assert roles.option("reward").label.startswith(
        "As a reward or preference signal: which of two answers, items or rankings"
    )
    ranker = plan(does=("semantic_search",), outputs=("reward",))
    assert _result({**ranker, "model_facts": _facts("model_facts")}).kind == "review"


def test_a_ranker_of_claudes_suggestions_by_what_people_accept_is_not_search() -> None:
    """Walkthrough 34 (a legal-tech CTO in a hurry): a model that orders Claude's clause
    suggestions by how likely a lawyer accepts them, trained on the accept/reject log, was
    answered "We train models too, but none of Claude's outputs go into them" (the labels
    being the lawyers') and "None of these": permitted; on the training path, "Find or rank
    relevant content" took it as search: permitted. Claude's suggestions are the model's inputs
    (reading 29), and an order by what people accept is scoring (readings 3, 39)."""
    uses = V4.questions["integration_use"]
    own_models = uses.option("own_models_other_data").label
    assert own_models.endswith(
        "not even as inputs: no logs or feedback that hold what Claude wrote or suggested"
    )
    another = _shown("use_facts", "another_model_uses")
    assert another.startswith("Another AI model (not Claude) answers from it or learns from it")
    assert "logs, tickets or feedback" in another
    assert "(accepted, rejected or edited by people)" in another
    assert _result(_without_training("another_model_uses")).kind == "review"
    search = V4.questions["capabilities"].option("semantic_search")
    assert "not by how likely people are to accept, click or choose an item" in search.label
    assert "choose “Score, grade or compare” too" in (search.hint or "")
    ranker = plan(does=("semantic_search", "scoring"), outputs=("inputs_only",))
    assert _result(ranker).kind == "review"


def test_a_client_that_built_its_own_support_bot_is_named_as_an_ai_developer() -> None:
    """Walkthrough 33 (an agency's operations lead): help-centre articles rewritten for a
    client whose own support bot, built on an open model, answers from them went to a reviewer,
    where reading 27 makes that client an AI developer (prohibited, reading 19): both options
    read as "an AI lab", and only a hint said "even one only for its own product"."""
    developer = "even only for its own product (a client's own support bot)"
    assert developer in V4.questions["integration_use"].option("ai_developer_content").label
    assert "a client that builds a chatbot only for its own product" in (
        _shown("use_facts", "ai_company")
    )
    rewritten = _without_training("ai_company", use="other_model_content")
    assert _result(rewritten).kind == "prohibited"


@pytest.mark.parametrize(
    ("plan_answers", "fact", "first_words", "finding"),
    [
        # A recommender trained on which of two products Claude said a shopper would prefer.
        (plan(does=("semantic_search",)), "claude_prefers",
         "Claude says which of two or more things is better",
         "review_preference_signal"),
        # A churn model trained on Claude's churn-risk labels.
        (plan(does=("categorization",)), "predicts_people",
         "It predicts what a person will do", "review_about_people"),
        # Walkthrough 40: a CV scorer trained on Claude's 1-5 fit scores, ticked as categories.
        (plan(does=("categorization",)), "about_people",
         "It scores, ranks or judges people or their work", "review_about_people"),
        # Walkthroughs 45, 47: a clinic's triage model on Claude's urgency labels of intake
        # messages, and a claim router that decides which claims are paid quickly.
        (plan(does=("categorization",), serves=("client_product",), receives=("client",)),
         "decides_for_people", "It triages or prioritises patients, claims", "review_about_people"),
        # An auto-responder that picks one of 30 replies Claude wrote, sent unchecked.
        (plan(does=("categorization",)), "picks_messages",
         "It picks a ready-written reply or message", "review_auto_reply"),
        # A query rewriter trained on Claude's rewrites of shoppers' queries.
        (plan(does=("semantic_search",)), "writes_words",
         "It writes or rewrites text, even a few words", "review_writes_words"),
    ],
)  # fmt: skip
def test_the_hurried_first_words_respondent_meets_each_deciding_fact_as_a_question(
    plan_answers: dict[str, Any], fact: str, first_words: str, finding: str
) -> None:
    """Walkthroughs 35-36: a lead who reads only the first words of a label, never a hint, and
    answers "None of these" at the end, got four e-commerce plans permitted: each fact was an
    exclusion late in a long label. Each is now a statement of its own, asked before the list
    of capabilities, whose first words are the fact, and the page cannot be passed without
    answering it."""
    facts = V4.questions["model_facts"]
    assert V4.questions["describe_model"].next == "model_facts"
    assert facts.next == "capabilities"
    assert _statement("model_facts", fact).label.startswith(first_words)
    answered = _result({**plan_answers, "model_facts": _facts("model_facts", yes=(fact,))})
    assert answered.kind == "review"
    assert finding in {o.id for o in answered.deciding}


def test_help_articles_a_client_s_own_bot_answers_from_meet_their_facts_in_the_first_words() -> (
    None
):
    """Walkthrough 42 (a hurried product manager, no training): help-centre articles written
    with Claude for a client whose own support bot, on an open model, answers from them, ticked
    "To write content for our customers to read" and "No" to every statement ("learns from it"
    and "develops language models" read as not this): permitted, where reading 27 prohibits.
    Both statements now open with the case."""
    another = _statement("use_facts", "another_model_uses").label
    assert another.startswith("Another AI model (not Claude) answers from it")
    builder = _statement("use_facts", "ai_company").label
    assert builder.startswith("An AI lab, or any company that builds its own chatbot")
    assert "only people read" in V4.questions["integration_use"].option("customer_content").label
    for fact, kind in (("another_model_uses", "review"), ("ai_company", "prohibited")):
        articles = _without_training(fact, use="customer_content")
        assert _result(articles).kind == kind, fact


def test_content_sold_to_evaluate_chatbots_or_to_an_ai_lab_opens_its_statement() -> None:
    """Walkthrough 43 (an agency's hurried lead, probes beside the persona): 5,000 example
    dialogues sold to a client that evaluates chatbots, and translations for an AI lab "for
    its website", came out permitted with one plausible "No" each: "tested" and "sold" were late
    in their statements, and "AI lab" only in a hint. Each now opens its own statement."""
    assert _statement("use_facts", "tests_model").label.startswith(
        "Another AI model (not Claude) is tested, evaluated"
    )
    assert _statement("use_facts", "leaves_as_data").label.startswith("It is sold, licensed")
    assert _statement("use_facts", "ai_company").label.startswith("An AI lab")
    dialogues = _without_training("tests_model", use="customer_content")
    assert "review_content_for_another_model" in {o.id for o in _result(dialogues).deciding}
    lab = _without_training("ai_company", use="customer_content")
    assert _result(lab).kind == "prohibited"
