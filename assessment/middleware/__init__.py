"""Request plumbing, one module per job; settings name the classes through this package.

- client: the client's address behind trusted proxies (TrustedProxyMiddleware, client_address)
- logs: the request id and the log filters (request id, private data, control characters)
- headers: response headers no setting sends (Permissions-Policy)
- nul_bytes: NUL bytes refused with a 400
- second_factor: a page refused for want of a second factor redirects to the second step
"""

from assessment.middleware.client import TrustedProxyMiddleware, client_address
from assessment.middleware.headers import PermissionsPolicyMiddleware
from assessment.middleware.logs import (
    ControlCharacterFilter,
    PrivateDataFilter,
    RequestIdFilter,
    RequestIdMiddleware,
    escape_control_characters,
    mask_private_data,
)
from assessment.middleware.nul_bytes import RejectNulBytesMiddleware
from assessment.middleware.second_factor import SecondFactorMiddleware

__all__ = [
    "ControlCharacterFilter",
    "PermissionsPolicyMiddleware",
    "PrivateDataFilter",
    "RejectNulBytesMiddleware",
    "RequestIdFilter",
    "RequestIdMiddleware",
    "SecondFactorMiddleware",
    "TrustedProxyMiddleware",
    "client_address",
    "escape_control_characters",
    "mask_private_data",
]
