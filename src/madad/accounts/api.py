"""API sign-in: bearer tokens in exchange for the same credentials as the sign-in page."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from madad.accounts.tokens import TokenRefused, token_issue, token_revoke
from madad.api.errors import ApiError, ErrorOut

router = Router(tags=["auth"])

# What each refusal answers: a wrong credential is 401, a valid one that may not be used (no
# two-factor set up yet) is 403, and a locked account is 423 Locked.
_REFUSAL_STATUS = {"locked": 423, "mfa_not_enrolled": 403}


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
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 423: ErrorOut},
    summary="Issue an expiring bearer token",
    description="Send the email address, password and current two-factor code. Failures count "
    "towards the account's sign-in lockout, as on the sign-in page.",
)
def issue_token(request: HttpRequest, payload: TokenRequest) -> TokenOut:
    try:
        issued = token_issue(
            email=payload.email, password=payload.password, totp_code=payload.totp, request=request
        )
    except TokenRefused as refused:
        raise ApiError(
            _REFUSAL_STATUS.get(refused.code, 401), refused.code, refused.message
        ) from None
    return TokenOut(token=issued.token, expires_at=issued.expires_at)


@router.delete(
    "/token", response={204: None, 401: ErrorOut}, summary="Revoke the token used for this call"
)
def revoke_token(request: HttpRequest) -> Status[None]:
    token_revoke(
        token=request.api_token,  # type: ignore[attr-defined]
        revoked_by=request.user,
        request=request,
    )  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        role=user.role,  # type: ignore[union-attr]
        organisation=user.organisation.name,
    )  # type: ignore[union-attr]
