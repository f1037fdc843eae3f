from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from madad.accounts.tokens import TokenRefused, token_issue, token_revoke
from madad.api.errors import ApiError

router = Router(tags=["auth"])


class TokenRequest(Schema):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(default=None, max_length=12)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str


@router.post("/token", auth=None, response={200: TokenOut},
             summary="Issue an expiring bearer token")
def issue_token(request: HttpRequest, payload: TokenRequest) -> TokenOut:
    try:
        issued = token_issue(email=payload.email, password=payload.password,
                             totp_code=payload.totp, request=request)
    except TokenRefused as refused:
        status = 423 if refused.code == "locked" else 401
        raise ApiError(status, refused.code, refused.message) from None
    return TokenOut(token=issued.token, expires_at=issued.expires_at)


@router.delete("/token", response={204: None}, summary="Revoke the token used for this call")
def revoke_token(request: HttpRequest) -> tuple[int, None]:
    token_revoke(token=request.api_token, revoked_by=request.user,  # type: ignore[attr-defined]
                 request=request)
    return 204, None


@router.get("/me", response=MeOut, summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(email=user.email, full_name=user.full_name, role=user.role,  # type: ignore[union-attr]
                 organisation=user.organisation.name)  # type: ignore[union-attr]
