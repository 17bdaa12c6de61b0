from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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
