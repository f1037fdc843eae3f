"""/api/v1/places: the gazetteer, searchable by name in English or Urdu. Place names are
public knowledge, so the search may travel in the query string."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from madad import access
from madad.api.errors import errors
from madad.api.pagination import paginated
from madad.core.http import AuthedRequest
from madad.places.models import Place
from madad.places.selectors import place_list

router = Router(tags=["places"])

MAX_ID = 2**63 - 1


class PlaceOut(Schema):
    id: int
    code: str
    name: str
    name_ur: str
    level: Place.Level
    parent_id: int | None
    latitude: float
    longitude: float


class PlaceFilters(Schema):
    q: str = Field(default="", max_length=100, description="Words of the name, either script")
    level: Place.Level | None = None
    parent: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only places directly within"
    )


@router.get(
    "",
    response={200: list[PlaceOut], **errors(422)},
    summary="Places, optionally searched by name",
)
@paginated
def list_places(request: AuthedRequest, filters: Query[PlaceFilters]) -> object:
    places = place_list(user=request.user, query=filters.q, level=filters.level or "")
    if filters.parent is not None:
        places = places.filter(parent_id=filters.parent)
    return places


@router.get("/{int:place_id}", response={200: PlaceOut, **errors(404)}, summary="One place")
def get_place(request: AuthedRequest, place_id: int) -> Place:
    return access.get_visible_or_404(request.user, Place, pk=place_id)
