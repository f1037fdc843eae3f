"""API sign-in: bearer tokens in exchange for the same credentials as the sign-in page."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from madad.accounts.tokens import bearer_token, token_issue, token_revoke
from madad.api.errors import errors
from madad.core.http import AuthedRequest

router = Router(tags=["auth"])


class TokenRequest(Schema):
    # An address can hold neither white space nor a second "@"; anything else is for the
    # password check to refuse, so that it counts towards the lockout.
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(
        default=None, max_length=12, description="The current code of the authenticator app."
    )


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, **errors(401, 403, 422, 423)},
    summary="Issue an expiring bearer token",
    description="Send the email address, password and current two-factor code. A wrong "
    "credential answers 401 (`invalid_credentials`, `invalid_totp`); an account without "
    "two-factor sign-in 403 (`mfa_not_enrolled`). Every attempt counts towards the address's "
    "sign-in lockout, as on the sign-in page; a locked address answers 423 (`locked`), an "
    "address without an account too after as many failures.",
)
def issue_token(request: HttpRequest, payload: TokenRequest) -> TokenOut:
    issued = token_issue(email=payload.email, password=payload.password, totp_code=payload.totp)
    return TokenOut(token=issued.token, expires_at=issued.expires_at)


@router.delete(
    "/token", response={204: None, **errors(401)}, summary="Revoke the token used for this call"
)
def revoke_token(request: AuthedRequest) -> Status[None]:
    token_revoke(token=bearer_token(request), revoked_by=request.user)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **errors(401)}, summary="Who the token belongs to")
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        organisation=user.organisation.name,
    )
