from django.conf import settings
from django.http import HttpRequest


def product(request: HttpRequest | None) -> dict[str, str]:
    """The product and policy names that the base layout shows on every page (no request needed:
    the cached pages render without one)."""
    return {
        "product_name": settings.ASSESSMENT_PRODUCT_NAME,
        "policy_name": settings.ASSESSMENT_POLICY_NAME,
        "policy_url": settings.ASSESSMENT_POLICY_URL,
    }
