"""What the reviewer-side forms' crispy layouts share, so every page's buttons look alike.

Fields take Bootstrap's classes from crispy-bootstrap5; a form whose fields stand in columns
or beside its button declares that in a `FormHelper` layout, built with these."""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.layout import Column


def submit(text: str, *, secondary: bool = False) -> StrictButton:
    """A submit button as the record actions draw theirs: one primary action per form."""
    return StrictButton(
        text, type="submit", css_class="btn-outline-primary" if secondary else "btn-primary"
    )


def inline(*fields: str, button: str) -> list[Column]:
    """Fields side by side, each as wide as it needs, then the submit button, for a form that
    is itself a Bootstrap row (`row align-items-end`)."""
    return [
        *(Column(name, css_class="col-auto") for name in fields),
        Column(submit(button), css_class="col-auto mb-3"),
    ]
