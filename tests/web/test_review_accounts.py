"""Reviewer accounts in the product: an administrator invites a reviewer by email (who sets a
password through the emailed link and signs in), sets the role, deactivates after a
confirmation page and reactivates. Nobody else may; accounts are never deleted."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment import notifications
from assessment.roles import APPROVE_PERMISSION, REVIEW_PERMISSION
from tests.review_support import (
    make_account_admin,
    make_approver,
    make_reviewer,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a long and unusual passphrase 7"


def _invite(client, capture, **data):
    fields = {"email": "nia@example.org", "first_name": "Nia", "last_name": "Okafor"}
    fields.update(data)
    fields.setdefault("role", "reviewer")
    with capture(execute=True):
        return client.post(reverse("review:accounts"), fields)


def _link(message) -> str:
    [link] = re.findall(r"https?://\S+/accounts/set-password/\S+/", message.body)
    return urlsplit(link).path


def _sign_in(username: str, password: str) -> Client | None:
    """The password step of sign-in: a client on its way to the second factor, or None when the
    password is refused."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 302)
    return client if response.status_code == 302 else None


def _second_factor_set_up(client: Client, user) -> None:
    """A first sign-in's second step: the set-up page, the code the new authenticator shows."""
    setup = reverse("second_factor_setup")
    assert client.get(setup).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    response = client.post(setup, {"code": totp_code(device), "next": "/review/"})
    assert response.status_code == 302, response.content.decode()


def _pages(account_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("review:accounts")),
        ("post", reverse("review:accounts")),
        ("post", reverse("review:account_role", args=[account_id])),
        ("get", reverse("review:account_deactivate", args=[account_id])),
        ("post", reverse("review:account_deactivate", args=[account_id])),
        ("post", reverse("review:account_reactivate", args=[account_id])),
        ("post", reverse("review:account_resend", args=[account_id])),
    ]


@pytest.mark.parametrize("who", ["reviewer", "approver"])
def test_reviewers_and_approvers_get_403_and_change_nothing(client, who):
    target = make_reviewer("sam", "sam@example.com")
    user = make_reviewer() if who == "reviewer" else make_approver()
    sign_in(client, user)
    for method, url in _pages(target.pk):
        assert getattr(client, method)(url, {"role": "approver"}).status_code == 403, url
    target.refresh_from_db()
    assert target.is_active and not target.has_perm(APPROVE_PERMISSION)
    assert not User.objects.filter(email="nia@example.org").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    target = make_reviewer("sam", "sam@example.com")
    for method, url in _pages(target.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_lists_reviewers_with_their_role_and_state(admin_signed_in):
    make_reviewer("sam", "sam@example.com")
    make_approver("april", "april@example.com")
    body = admin_signed_in.get(reverse("review:accounts")).content.decode()
    assert re.search(r'data-account="april".*?data-role="approver"', body, re.S)
    assert re.search(r'data-account="sam".*?data-role="reviewer"', body, re.S)
    # Each row's select is labelled with the account's name and shows its current role.
    april = re.search(r'data-account="april".*?</tr>', body, re.S)
    assert april is not None
    assert re.search(r'<label\s+for="(account-\d+-role)"[^>]*>\s*Role of april', april[0])
    assert re.search(r'<option value="approver" selected>', april[0])
    assert 'data-account="ada"' not in body  # an administrator who does not review
    assert "csrfmiddlewaretoken" in body
    assert 'href="/review/accounts/"' in body  # in the menu


def test_an_administrator_who_does_not_review_lands_on_the_accounts_page(account_admin):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "ada", "password": "correct horse battery"}
    )
    # Then the second step, which leads on to the accounts page.
    assert response["Location"].startswith(reverse("second_factor"))
    assert response["Location"].endswith("next=%2Freview%2Faccounts%2F")
    reviewer = make_reviewer()
    client = Client()
    response = client.post(
        reverse("login"), {"username": reviewer.username, "password": "correct horse battery"}
    )
    assert response["Location"].endswith("next=%2Freview%2F")


def test_a_superuser_may_manage_accounts(client):
    sign_in(client, User.objects.create_superuser("root", "root@example.com", PASSWORD))
    assert client.get(reverse("review:accounts")).status_code == 200


def test_an_invited_reviewer_sets_a_password_through_the_link_and_signs_in(
    admin_signed_in, django_capture_on_commit_callbacks
):
    response = _invite(admin_signed_in, django_capture_on_commit_callbacks, role="approver")
    assert response.status_code == 302
    nia = User.objects.get(email="nia@example.org")
    assert (nia.username, nia.get_full_name(), nia.is_active) == (
        "nia@example.org",
        "Nia Okafor",
        True,
    )
    assert not nia.has_usable_password()
    assert nia.has_perm(REVIEW_PERMISSION) and nia.has_perm(APPROVE_PERMISSION)
    assert _sign_in("nia@example.org", "") is None  # no password yet

    [message] = mail.outbox
    assert message.to == ["nia@example.org"] and not message.cc and not message.bcc
    assert "nia@example.org" in message.body
    page = admin_signed_in.get(reverse("review:accounts")).content.decode()
    assert "Invited (no password yet)" in page

    visitor = Client()
    link = _link(message)
    response = visitor.get(link)
    assert response.status_code == 302  # Django moves the token out of the URL
    form_url = response["Location"]
    page = visitor.get(form_url).content.decode()
    assert "Choose your password" in page and "nia@example.org" in page
    response = visitor.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = visitor.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login")

    signed_in = _sign_in("nia@example.org", PASSWORD)
    assert signed_in is not None
    _second_factor_set_up(signed_in, nia)
    assert signed_in.get(reverse("review:queue")).status_code == 200
    assert signed_in.get(reverse("review:accounts")).status_code == 403
    # The link works once.
    assert "This link no longer works" in Client().get(link, follow=True).content.decode()


def test_invitation_errors_are_summarised_and_nothing_is_created(
    admin_signed_in, django_capture_on_commit_callbacks
):
    response = _invite(admin_signed_in, django_capture_on_commit_callbacks, email="", role="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body and "There is a problem" in body
    assert 'href="#id_email"' in body and "Enter the reviewer&#x27;s email address" in body
    assert 'href="#id_role_0"' in body and "Choose a role" in body
    response = _invite(admin_signed_in, django_capture_on_commit_callbacks, email="not an email")
    assert "Enter an email address like name@example.org" in response.content.decode()

    make_reviewer("sam", "sam@example.com")
    response = _invite(admin_signed_in, django_capture_on_commit_callbacks, email="SAM@example.com")
    assert "already exists" in response.content.decode()
    assert not mail.outbox
    assert not User.objects.filter(email__in=["", "not an email"]).exists()


def test_the_role_is_set_both_ways(admin_signed_in, account_admin):
    sam = make_reviewer("sam", "sam@example.com")
    url = reverse("review:account_role", args=[sam.pk])
    assert admin_signed_in.post(url, {"role": "approver"}).status_code == 302
    assert User.objects.get(pk=sam.pk).has_perm(APPROVE_PERMISSION)
    admin_signed_in.post(url, {"role": "reviewer"})
    sam = User.objects.get(pk=sam.pk)
    assert sam.has_perm(REVIEW_PERMISSION) and not sam.has_perm(APPROVE_PERMISSION)
    admin_signed_in.post(url, {"role": "superuser"})
    assert not User.objects.get(pk=sam.pk).has_perm(APPROVE_PERMISSION)
    changes = LogEntry.objects.filter(object_id=str(sam.pk), user=account_admin)
    assert [entry.change_message for entry in changes.order_by("pk")] == [
        "Role set to approver.",
        "Role set to reviewer.",
    ]


def test_deactivation_asks_first_then_keeps_the_account_but_stops_sign_in(admin_signed_in):
    sam = make_reviewer("sam", "sam@example.com")
    url = reverse("review:account_deactivate", args=[sam.pk])
    page = admin_signed_in.get(url).content.decode()
    assert "Deactivate" in page and "Yes, deactivate" in page and "csrfmiddlewaretoken" in page
    assert User.objects.get(pk=sam.pk).is_active  # nothing happens before the confirmation

    assert admin_signed_in.post(url).status_code == 302
    assert not User.objects.get(pk=sam.pk).is_active
    assert _sign_in("sam", "correct horse battery") is None
    assert "sam@example.com" not in notifications.reviewer_emails()
    assert (
        "data-state>Deactivated<"
        in admin_signed_in.get(reverse("review:accounts")).content.decode()
    )

    admin_signed_in.post(reverse("review:account_reactivate", args=[sam.pk]))
    assert User.objects.get(pk=sam.pk).is_active
    assert _sign_in("sam", "correct horse battery") is not None


def test_nobody_deactivates_themselves_nor_a_superuser_without_being_one(client):
    admin = make_account_admin()
    admin.groups.add(*make_reviewer("sam", "sam@example.com").groups.all())  # also a reviewer
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    root.groups.add(*admin.groups.all())
    sign_in(client, admin)
    client.post(reverse("review:account_deactivate", args=[admin.pk]))
    client.post(reverse("review:account_deactivate", args=[root.pk]))
    client.post(reverse("review:account_role", args=[root.pk]), {"role": "reviewer"})
    assert User.objects.get(pk=admin.pk).is_active and User.objects.get(pk=root.pk).is_active
    body = client.get(reverse("review:accounts")).content.decode()
    assert "You cannot deactivate your own account." in body
    assert body.count("Only a superuser can change a superuser&#x27;s account.") == 2


def test_a_deactivated_invitees_link_no_longer_works(
    admin_signed_in, django_capture_on_commit_callbacks
):
    _invite(admin_signed_in, django_capture_on_commit_callbacks)
    nia = User.objects.get(email="nia@example.org")
    admin_signed_in.post(reverse("review:account_deactivate", args=[nia.pk]))
    page = Client().get(_link(mail.outbox[0]), follow=True).content.decode()
    assert "This link no longer works" in page


def test_the_invitation_can_be_sent_again_with_a_new_link(
    admin_signed_in, django_capture_on_commit_callbacks
):
    _invite(admin_signed_in, django_capture_on_commit_callbacks)
    nia = User.objects.get(email="nia@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        admin_signed_in.post(reverse("review:account_resend", args=[nia.pk]))
    assert [m.to for m in mail.outbox] == [["nia@example.org"], ["nia@example.org"]]


def test_account_forms_need_the_csrf_token(account_admin):
    sam = make_reviewer("sam", "sam@example.com")
    client = Client(enforce_csrf_checks=True)
    sign_in(client, account_admin)
    response = client.post(reverse("review:account_deactivate", args=[sam.pk]))
    assert response.status_code == 403
    assert User.objects.get(pk=sam.pk).is_active


def test_other_accounts_are_not_reachable_here(admin_signed_in):
    outsider = User.objects.create_user("otto", password=PASSWORD)
    url = reverse("review:account_deactivate", args=[outsider.pk])
    assert admin_signed_in.get(url).status_code == 404
    assert admin_signed_in.post(url).status_code == 404
    assert User.objects.get(pk=outsider.pk).is_active


def test_a_password_alone_does_not_reach_the_accounts_page(client, account_admin):
    client.force_login(account_admin)  # the first factor only
    response = client.get(reverse("review:accounts"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor"))
