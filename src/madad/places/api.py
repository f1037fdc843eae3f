"""/api/v1/places: the gazetteer, searchable by name in English or Urdu. Place names are
public knowledge, so the search may travel in the query string."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from madad import access
from madad.api.pagination import paginated
from madad.places.models import Place
from madad.places.selectors import place_list

router = Router(tags=["places"])


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
    parent: int | None = Field(default=None, ge=1, description="Only places directly within")


@router.get("", response=list[PlaceOut], summary="Places, optionally searched by name")
@paginated
def list_places(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    places = place_list(user=request.user, query=filters.q, level=filters.level or "")
    if filters.parent is not None:
        places = places.filter(parent_id=filters.parent)
    return places


@router.get("/{int:place_id}", response=PlaceOut, summary="One place")
def get_place(request: HttpRequest, place_id: int) -> Place:
    return access.get_visible_or_404(request.user, Place, request=request, pk=place_id)
