"""A JSON body's numbers and yes/no fields take only their own JSON type. pydantic's lax mode
reads `"age": false` as 0 and `"age": "7"` as 7; the OpenAPI document says integer, so
schemathesis (and any careful client) rightly calls accepting them a bug. Every body schema of
every operation is walked, so a new field cannot slip past."""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

import pytest
from ninja import Schema
from pydantic import BaseModel, ValidationError

from madad.api.router import api

# Values of the wrong JSON type for each Python type a body field may hold.
_WRONG: dict[type, list[Any]] = {
    int: [True, False, "1", "007"],
    float: [True, "1.5"],
    Decimal: [True, False],
    bool: [0, 1, "true", "yes"],
    str: [1, 1.5, True],
    dt.date: [0, 20260101, True],
}


def _body_schemas() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    if getattr(model, "__ninja_param_source__", None) != "body":
                        continue
                    for field in model.model_fields.values():
                        _collect(field.annotation, found)
    return found


def _collect(annotation: Any, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _collect(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _collect(argument, found)


def _scalar(annotation: Any) -> type | None:
    """The one scalar type a field holds (int for `int | None`, or Annotated[int, ...])."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(kinds) != 1:
            return None
        return _scalar(kinds[0])
    return annotation if annotation in _WRONG else None


def _cases() -> list[tuple[str, str, Any]]:
    cases = []
    for schema in sorted(_body_schemas(), key=lambda s: s.__qualname__):
        for name, field in schema.model_fields.items():
            kind = _scalar(field.annotation)
            for wrong in _WRONG.get(kind, []) if kind else []:
                cases.append((f"{schema.__module__}.{schema.__qualname__}", name, wrong))
    return cases


def _schema(qualified: str) -> type[BaseModel]:
    return next(s for s in _body_schemas() if f"{s.__module__}.{s.__qualname__}" == qualified)


def test_the_walk_finds_the_body_schemas() -> None:
    names = {s.__qualname__ for s in _body_schemas()}
    assert {"PersonIn", "TokenRequest"} <= names
    assert all(issubclass(s, Schema) for s in _body_schemas())
    assert len(_cases()) > 100


@pytest.mark.parametrize(("schema", "field", "wrong"), _cases())
def test_a_value_of_the_wrong_json_type_is_refused(schema: str, field: str, wrong: Any) -> None:
    model = _schema(schema)
    with pytest.raises(ValidationError) as refused:
        model.model_validate({field: wrong})
    on_field = [
        e for e in refused.value.errors() if e["loc"][:1] == (field,) and e["type"] != "missing"
    ]
    assert on_field, f"{schema}.{field} accepted {wrong!r}"
