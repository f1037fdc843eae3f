"""The JSON API at /api/v1: each app contributes a router; this module mounts them."""

from __future__ import annotations

from ninja import NinjaAPI

from madad.accounts.api import router as auth_router
from madad.accounts.tokens import token_user
from madad.api import errors
from madad.api.auth import BearerToken
from madad.assistance.api import router as assistance_router
from madad.cases.api import assessments_router
from madad.cases.api import router as cases_router
from madad.claims.api import router as claims_router
from madad.evidence.api import router as evidence_router
from madad.fund.api import router as fund_router
from madad.households.api import router as households_router
from madad.incidents.api import router as incidents_router
from madad.linkage.api import router as linkage_router
from madad.people.api import router as people_router
from madad.places.api import router as places_router
from madad.referrals.api import router as referrals_router
from madad.sharing.api import router as sharing_router
from madad.testimonies.api import router as testimonies_router

api = NinjaAPI(
    title="Madad API",
    version="1",
    description=(
        "Documentation, assistance and relief data, filtered by the caller's access. "
        "Get a bearer token from POST /api/v1/auth/token. Every error has one shape: "
        '{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}.'
    ),
    auth=BearerToken(token_user),
    parser=errors.JsonBodyParser(),
    urls_namespace="api",
    docs_url="/docs",
)
errors.install(api)

api.add_router("/auth", auth_router)
api.add_router("/persons", people_router)
api.add_router("/places", places_router)
api.add_router("/incidents", incidents_router)
api.add_router("/testimonies", testimonies_router)
api.add_router("/evidence", evidence_router)
api.add_router("/linkage", linkage_router)
api.add_router("/households", households_router)
api.add_router("/cases", cases_router)
api.add_router("/assessments", assessments_router)
api.add_router("/assistance", assistance_router)
api.add_router("/referrals", referrals_router)
api.add_router("/claims", claims_router)
api.add_router("/fund", fund_router)
api.add_router("/grants", sharing_router)
