from __future__ import annotations

from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from assessment.roles import REVIEWER, ROLE_CHOICES, ROLE_LABELS
from assessment.selectors.accounts import ReviewerAccount


class SignInForm(AuthenticationForm):
    """Django's sign-in form with autocomplete hints, so password managers fill it in."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.widget.attrs.update({"autocomplete": "username"})
        # AuthenticationForm sets max_length after building the field, so it is not enforced:
        # an overlong name would reach django-axes, whose column (255) PostgreSQL enforces.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )
        username.error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class InviteReviewerForm(forms.Form):
    """An administrator invites a reviewer: their email (also their username), name, role."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They sign in with it, and the invitation goes to it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the reviewer's email address",
            "invalid": "Enter an email address like name@example.org",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    first_name = forms.CharField(
        label="First name (optional)",
        required=False,
        max_length=150,
        error_messages={"max_length": "The first name must be 150 characters or fewer"},
    )
    last_name = forms.CharField(
        label="Last name (optional)",
        required=False,
        max_length=150,
        error_messages={"max_length": "The last name must be 150 characters or fewer"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        initial=REVIEWER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class RoleForm(forms.Form):
    helper: FormHelper | None = None  # set by for_account, for crispy

    role = forms.ChoiceField(
        label="Role",
        choices=[(value, ROLE_LABELS[value]) for value, _ in ROLE_CHOICES],
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    @classmethod
    def for_account(cls, account: ReviewerAccount) -> RoleForm:
        """The role select in one row of the accounts table. The row's `<form>` (its URL names
        the account) and its button stay in the template; the label is there for screen
        readers, the column's heading says it to the eye."""
        user = account.user
        form = cls(initial={"role": account.role}, auto_id=f"account-{user.pk}-%s")
        form.fields["role"].label = f"Role of {user.get_username()}"
        helper = FormHelper(form)
        helper.form_tag = False
        helper.label_class = "visually-hidden"
        helper.layout = Layout(Field("role", css_class="form-select-sm", data_role=account.role))
        form.helper = helper
        return form
