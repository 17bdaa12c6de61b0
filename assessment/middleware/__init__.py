"""Request plumbing, one module per job; settings name the classes through this package.

- client: the client's address behind trusted proxies (TrustedProxyMiddleware, client_address)
- logs: the request id and the log filters (request id, private data, control characters)
- headers: response headers no setting sends (Permissions-Policy)
- nul_bytes: NUL bytes refused with a 400
"""

from assessment.middleware.client import TrustedProxyMiddleware, client_address
from assessment.middleware.headers import PermissionsPolicyMiddleware
from assessment.middleware.logs import (
    PrivateDataFilter,
    RequestIdFilter,
    RequestIdMiddleware,
    mask_private_data,
)
from assessment.middleware.nul_bytes import RejectNulBytesMiddleware

__all__ = [
    "PermissionsPolicyMiddleware",
    "PrivateDataFilter",
    "RejectNulBytesMiddleware",
    "RequestIdFilter",
    "RequestIdMiddleware",
    "TrustedProxyMiddleware",
    "client_address",
    "mask_private_data",
]
