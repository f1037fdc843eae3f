"""The permission matrix: every staff URL and every API operation, asked by every role of the
organisation that owns the records, by every role of another organisation and anonymously,
against the answer written down once per operation in tests/permission_matrix_expectations.py.

The URLs come from the URL configuration and the operations from the API's OpenAPI document,
so a new URL or operation without an expectation fails here until somebody decides who may use
it. The records behind the URLs are the demo's (at a small scale), loaded once per module; every
request runs in a savepoint that is rolled back, so no answer changes what the next one sees.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from tests import permission_matrix_expectations as expected
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    current_totp_code,
    enrol_totp,
)

# URL namespaces the matrix leaves out: the public site is for everybody (tests/public checks
# that it shows nothing personal), the API is asked operation by operation below, and the
# OpenRosa server answers field devices by the token in its address, not staff by their role
# (tests/intake/test_openrosa.py asks it with unknown, revoked and other organisations' tokens).
NOT_STAFF_PAGES = ("public", "api", "openrosa")


# --- What there is to ask --------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str  # "incidents:detail"
    params: tuple[str, ...]


@functools.cache
def staff_routes() -> tuple[Route, ...]:
    routes: list[Route] = []

    def walk(resolver: URLResolver, namespace: str, params: tuple[str, ...]) -> None:
        for entry in resolver.url_patterns:
            converters = tuple(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                if entry.namespace not in NOT_STAFF_PAGES:
                    walk(entry, inner, params + converters)
            elif isinstance(entry, URLPattern) and entry.name:
                routes.append(Route(f"{namespace}{entry.name}", params + converters))

    walk(get_resolver(), "", ())
    return tuple(routes)


@functools.cache
def api_operations() -> dict[str, dict[str, Any]]:
    from madad.api.router import api

    schema = api.get_openapi_schema()
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations[f"{method.upper()} {path}"] = {"operation": operation, "schema": schema}
    return operations


# --- The records the URLs name ---------------------------------------------------------------
@dataclass
class World:
    owner: Organisation
    partner: Organisation
    users: dict[tuple[str, bool], User] = field(default_factory=dict)  # (role, own) → user
    tokens: dict[tuple[str, bool], str] = field(default_factory=dict)
    html: dict[str, int | str] = field(default_factory=dict)  # URL parameter → value
    api: dict[str, int | str] = field(default_factory=dict)
    html_for: dict[str, dict[str, int | str]] = field(default_factory=dict)  # by URL name
    media_root: str = ""


def _first(queryset: models.QuerySet[Any]) -> int | None:
    found = queryset.order_by("pk").values_list("pk", flat=True).first()
    return int(found) if found is not None else None


def _records(world: World) -> None:
    """One record of each kind, of the owner organisation, chosen so that the case, its
    household, its assistance, referral and claim hang together and the case is assigned to
    the owner's caseworker (who sees only their own cases)."""
    from madad.assistance.models import Assistance
    from madad.cases.models import Assessment, Case, Team
    from madad.claims.models import Claim
    from madad.evidence.models import EvidenceFile
    from madad.fund.models import Donation, Donor, JournalEntry
    from madad.incidents.models import Incident
    from madad.linkage.models import IncidentPair, LinkageRun, MergeRecord, PersonPair
    from madad.people.models import Person
    from madad.places.models import Place
    from madad.public.models import FactSheet
    from madad.referrals.models import Referral
    from madad.testimonies.models import Testimony

    owner = world.owner
    caseworker = world.users[(Role.CASEWORKER, True)]
    cases = Case.objects.filter(organisation=owner, caseworker=caseworker)
    case = cases.annotate(work=models.Count("tasks") + models.Count("approval_requests"))
    case_id = case.order_by("-work", "pk").values_list("pk", flat=True).first()
    incident_id = _first(Incident.objects.filter(organisation=owner, sources__isnull=False))
    team_id = _first(Team.objects.filter(organisation=owner))
    if team_id is None:
        team_id = Team.objects.create(organisation=owner, name="Matrix team").pk
    incidents = list(Incident.objects.filter(organisation=owner).order_by("pk")[:2])
    if not IncidentPair.objects.filter(organisation=owner).exists() and len(incidents) == 2:
        IncidentPair.objects.create(
            organisation=owner, incident_a=incidents[0], incident_b=incidents[1], score=0.9
        )
    values: dict[str, int | None] = {
        "person_id": _first(Person.objects.filter(organisation=owner)),
        "place_id": _first(Place.objects.all()),
        "incident_id": incident_id,
        "source_id": _first(Incident.objects.get(pk=incident_id).sources.all())
        if incident_id
        else None,
        "act_id": _first(Incident.objects.get(pk=incident_id).acts.all()) if incident_id else None,
        "testimony_id": _first(Testimony.objects.filter(organisation=owner)),
        "evidence_id": _first(EvidenceFile.objects.filter(organisation=owner)),
        "case_id": case_id,
        "household_id": Case.objects.get(pk=case_id).household_id if case_id else None,
        "approval_id": _first(Case.objects.get(pk=case_id).approval_requests.all())
        if case_id
        else None,
        "task_id": _first(Case.objects.get(pk=case_id).tasks.all()) if case_id else None,
        "assessment_id": _first(Assessment.objects.filter(case__organisation=owner)),
        "assistance_id": _first(
            Assistance.objects.filter(
                case__organisation=owner, case__caseworker=caseworker, status="approved"
            )
        )
        or _first(Assistance.objects.filter(case__organisation=owner, status="approved")),
        "referral_id": _first(Referral.objects.filter(organisation=owner, partner=world.partner)),
        "claim_id": _first(Claim.objects.filter(case__organisation=owner)),
        "donation_id": _first(Donation.objects.filter(organisation=owner)),
        "donor_id": _first(Donor.objects.filter(organisation=owner)),
        "entry_id": _first(JournalEntry.objects.filter(organisation=owner)),
        "pair_id": _first(PersonPair.objects.filter(organisation=owner)),
        "merge_id": _first(MergeRecord.objects.filter(organisation=owner)),
        "run_id": _first(LinkageRun.objects.filter(organisation=owner)),
        "text_id": _first(FactSheet.objects.filter(organisation=owner)),
        "user_id": world.users[(Role.DOCUMENTER, True)].pk,
        "team_id": team_id,
    }
    if values["household_id"] is not None:
        from madad.households.models import Member

        values["member_id"] = _first(Member.objects.filter(household_id=values["household_id"]))
    values.update(_second_person_records(world))
    if values["merge_id"] is None:
        # the demo merged nobody at this scale: merge its two newest persons (no URL names
        # them), as a reviewer would
        from madad.linkage.merging import persons_merge

        newest = list(Person.objects.filter(organisation=owner).order_by("-pk")[:2])
        reviewer = world.users[(Role.DOCUMENTER, True)]
        merge = persons_merge(kept=newest[1], merged=newest[0], merged_by=reviewer)
        values["merge_id"] = merge.pk
    values["caseworker_id"] = caseworker.pk
    values.update(_sharing_records(world))
    values.update(_intake_records(world))
    values.update(_intake_setup_records(world))
    ids = {name: value for name, value in values.items() if value is not None}
    world.html = {**ids, "kind": "acts", "kind_slug": "factsheets", "action": "submit"}
    world.html["token"] = "no-such-invitation"
    world.html.update({"name": "balances", "language": "en"})
    world.api = {**ids, "kind": "cash_grant", "name": "balances"}
    document = _first(EvidenceFile.objects.filter(claims__pk=ids.get("claim_id", 0)))
    if document is not None:
        world.html_for["claims:document"] = {"evidence_id": document}
    world.html_for["backup:request"] = {"kind": "drill"}
    incident_pair = _first(IncidentPair.objects.filter(organisation=owner))
    if incident_pair is not None:
        world.html_for["linkage:incident_pair"] = {"pair_id": incident_pair}


def _sharing_records(world: World) -> dict[str, int | None]:
    """The demo's grant to its delegation, one of its records, and a meeting asked about one
    of its incidents (made here if the demo asked none)."""
    from madad.sharing.models import Grant, GrantedRecord, MeetingRequest

    grant_id = _first(Grant.objects.filter(organisation=world.owner)) or 0
    records = GrantedRecord.objects.filter(grant_id=grant_id)
    meetings = MeetingRequest.objects.filter(granted_record__grant_id=grant_id)
    incident = records.filter(kind=GrantedRecord.Kind.INCIDENT).order_by("pk").first()
    delegate = incident.grant.users.order_by("pk").first() if incident is not None else None
    if not meetings.exists() and incident is not None and delegate is not None:
        MeetingRequest.objects.create(
            granted_record=incident, requested_by=delegate, message="May we meet the family?"
        )
    return {
        "grant_id": grant_id or None,
        "record_id": _first(records),
        "meeting_id": _first(meetings),
    }


def _intake_setup_records(world: World) -> dict[str, int | None]:
    """A field form of the owner organisation with one version (an XLSForm of our own, so
    that no key is needed to make it), and a device for it."""
    from madad.intake import devices, fieldforms
    from madad.intake.models import Form

    version = fieldforms.form_add(
        organisation=world.owner, data=_matrix_xlsform(), added_by=None, encrypt=False
    )
    device = devices.device_create(
        organisation=world.owner,
        name="Matrix phone",
        created_by=None,
        forms=Form.objects.filter(pk=version.form_id),
    ).device
    return {"field_form_id": version.form_id, "form_version_id": version.pk, "device_id": device.pk}


def _matrix_xlsform() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "place_name", "Name of the place"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Matrix form", "matrix_form", "1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _intake_records(world: World) -> dict[str, int | None]:
    """An item waiting in the inbox (a field report of an incident) with a photo."""
    from tests.intake.inbox_factories import add_file, make_item, png_bytes

    item = make_item(world.owner)
    return {"item_id": item.pk, "attachment_id": add_file(item, png_bytes()).pk}


def _second_person_records(world: World) -> dict[str, int | None]:
    """What waits for a second person: a role asked for a newcomer (from the command line, so
    that any approver of the organisation may decide it) and a change of a place proposed by
    another administrator."""
    from madad.accounts.models import RoleRequest
    from madad.places.models import Place, PlaceChange

    newcomer = cast(User, UserFactory(role=Role.DOCUMENTER, organisation=world.owner))
    proposer = cast(User, UserFactory(role=Role.ADMINISTRATOR, organisation=world.owner))
    request = RoleRequest.objects.create(user=newcomer, role=Role.COORDINATOR, requested_by=None)
    place = Place.objects.order_by("pk").first()
    if place is None:
        return {"request_id": request.pk}
    change = PlaceChange.objects.create(
        place=place,
        base_version=place.version,
        name=f"{place.name} (renamed)",
        name_ur=place.name_ur,
        latitude=place.latitude,
        longitude=place.longitude,
        parent=place.parent,
        fields=["name"],
        proposed_by=proposer,
    )
    return {"request_id": request.pk, "change_id": change.pk}


def _people(world: World) -> None:
    """Every role twice: in the owner organisation (the demo's users) and in another one. The
    partner's "own" organisation is the one the owner's referral was sent to."""
    from madad.accounts.demo import demo_email

    other_relief = OrganisationFactory(kind=Organisation.Kind.RELIEF, name="Other relief")
    other_partner = OrganisationFactory(kind=Organisation.Kind.LEGAL_AID, name="Other partner")
    for role in Role.values:
        world.users[(role, True)] = User.objects.get(email=demo_email(role))
        elsewhere = other_partner if role == Role.PARTNER else other_relief
        world.users[(role, False)] = cast(User, UserFactory(role=role, organisation=elsewhere))


def _tokens(world: World) -> None:
    from madad.accounts.tokens import token_issue

    for key, user in world.users.items():
        secret = enrol_totp(user)
        issued = token_issue(
            email=user.email, password=PASSWORD, totp_code=current_totp_code(secret)
        )
        world.tokens[key] = issued.token


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    from madad.accounts.demo import load_users
    from madad.core.demo import DemoContext
    from madad.demo import load_all

    media = str(tmp_path_factory.mktemp("matrix-files"))
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=fast,
            MEDIA_ROOT=media,
            # the coordinators ship Madad's forms, which need the intake key: made here, not in var/
            MADAD_INTAKE_KEY_FILE=tmp_path_factory.mktemp("matrix-intake") / "intake-key.pem",
        ),
        transaction.atomic(),
    ):
        relief, partner = load_users(password=PASSWORD)
        world = World(owner=relief, partner=partner, media_root=media)
        _people(world)
        users = {role: world.users[(role, True)] for role in Role.values}
        load_all(DemoContext(relief=relief, partner=partner, users=users, scale=0.1))
        _tokens(world)
        _records(world)
        yield world
        transaction.set_rollback(True)


# --- Asking ----------------------------------------------------------------------------------
def _answer(response: Any) -> str:
    """What came back, in the words of the expectations (a refusal of the API names its code
    and the fields it named, to tell a refusal from a body the matrix got wrong)."""
    status = response.status_code
    if status in (301, 302, 303):
        location = response.get("Location", "")
        return expected.LOGIN if "/accounts/login/" in location else expected.MOVED
    if not response.get("Content-Type", "").startswith("application/json"):
        return str(status)
    try:
        body = json.loads(response.content)
    except ValueError:
        return str(status)
    if status == 200:
        items = body.get("items") if isinstance(body, dict) else body
        return "200 empty" if isinstance(items, list) and not items else "200"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return f"{status} {error.get('code')}{sorted(error.get('fields') or {})}"
    return str(status)


def _matches(want: expected.Outcome, got: str) -> bool:
    if want == expected.EMPTY:
        return got == "200 empty"
    if want == expected.ACCEPTED:
        code = got.split()[0]
        return got == expected.MOVED or code.startswith("2") or code in ("409", "422")
    if isinstance(want, int):
        return got.split()[0] == str(want)
    return got == want


def _ask(client: Client, method: str, url: str, **kwargs: Any) -> str:
    with transaction.atomic():
        response = getattr(client, method.lower())(url, **kwargs)
        transaction.set_rollback(True)
    return _answer(response)


# Bodies and query parameters the schema cannot tell: what a search needs to search, which
# record a consent question is about (by the name of the record's URL parameter).
BODIES: dict[str, dict[str, Any]] = {
    "POST /api/v1/auth/token": {"email": "nobody@test.madad", "password": "not a password"},
    "POST /api/v1/persons/search": {"q": "Khan"},
    "POST /api/v1/incidents/search": {"q": "Saddar"},
}
QUERIES: dict[str, dict[str, str]] = {
    "GET /api/v1/testimonies/consent": {"person": "person_id"},
    "GET /api/v1/testimonies/consent/covers": {"person": "person_id"},
}


# --- The smallest body an operation's schema accepts -----------------------------------------
def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _example(schema: dict[str, Any], node: dict[str, Any], name: str, ids: dict[str, Any]) -> Any:
    node = _resolve(schema, node)
    for option in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        option = _resolve(schema, option)
        if option.get("type") != "null":
            return _example(schema, option, name, ids)
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        properties = node.get("properties", {})
        return {
            key: _example(schema, properties[key], key, ids)
            for key in node.get("required", [])
            if key in properties
        }
    if kind == "array":
        return [_example(schema, node.get("items", {}), name, ids)] * node.get("minItems", 0)
    if kind == "integer":
        for known in (name, f"{name}_id"):
            if known in ids and isinstance(ids[known], int):
                return ids[known]
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(node.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return False
    return _text(node)


_TEXTS = ("1.00", "PKR", "2024-01-15", "42101-1234567-1", "03001234567", "x")


def _text(node: dict[str, Any]) -> str:
    formats = {"date": "2024-01-15", "date-time": "2024-01-15T10:00:00Z", "email": "a@test.madad"}
    if node.get("format") in formats:
        return formats[node["format"]]
    pattern = node.get("pattern")
    if pattern:
        for text in _TEXTS:
            if re.search(pattern, text):
                return text
    return "x" * max(int(node.get("minLength", 1)), 1)


def _body(entry: dict[str, Any], ids: dict[str, Any]) -> dict[str, Any] | None:
    request = entry["operation"].get("requestBody")
    if request is None:
        return None
    content = request.get("content", {})
    media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
    body = _example(entry["schema"], media.get("schema", {}), "", ids)
    return body if isinstance(body, dict) else {}


def _request(key: str, entry: dict[str, Any], ids: dict[str, Any]) -> dict[str, Any]:
    """The client's keyword arguments for the operation's body: JSON, or a form with a small
    file for an upload."""
    body = BODIES.get(key) or _body(entry, ids)
    if body is None:
        return {}
    content = entry["operation"]["requestBody"].get("content", {})
    if "multipart/form-data" not in content:
        return {"data": json.dumps(body), "content_type": "application/json"}
    files = _resolve(entry["schema"], content["multipart/form-data"].get("schema", {}))
    form = dict(body)
    for name, field_schema in files.get("properties", {}).items():
        if field_schema.get("format") == "binary":
            form[name] = SimpleUploadedFile("matrix.txt", b"matrix", content_type="text/plain")
    return {"data": form}


# --- Who asks --------------------------------------------------------------------------------
IDENTITIES = [None] + [(role, own) for role in Role.values for own in (True, False)]


def _label(identity: tuple[str, bool] | None) -> str:
    if identity is None:
        return "anonymous"
    role, own = identity
    return f"{role}-{'own' if own else 'other'}"


@dataclass
class Mismatch:
    what: str
    want: expected.Outcome
    got: str

    def __str__(self) -> str:
        return f"{self.what}: expected {self.want}, got {self.got}"


def _judge(
    operation: str, label: str, want: expected.Outcome, got: str, what: str
) -> Mismatch | None:
    """A cell that disagrees with its expectation, unless it is a known finding (which must
    still disagree: a fixed finding is taken off the list)."""
    agrees = _matches(want, got)
    known = expected.FINDINGS.get((operation, label))
    log = os.environ.get("MADAD_MATRIX_LOG")
    if log:  # every cell, for counting (tab-separated)
        with open(log, "a", encoding="utf-8") as cells:
            cells.write(f"{label}\t{operation}\t{want}\t{got}\t{agrees}\t{known or ''}\n")
    if known is None:
        return None if agrees else Mismatch(what, want, got)
    if agrees:
        return Mismatch(f"{what} [fixed: take it off FINDINGS]", want, got)
    return None


def _html_cells(world: World, identity: tuple[str, bool] | None) -> Iterator[tuple[str, str, str]]:
    """(label, method, url) of every staff page the records allow to be named."""
    for route in staff_routes():
        values = {**world.html, **world.html_for.get(route.name, {})}
        if any(param not in values for param in route.params):
            continue
        url = reverse(route.name, kwargs={param: values[param] for param in route.params})
        for method in expected.HTML.get(route.name, {}):
            yield route.name, method, url


def _ask_pages(world: World, identity: tuple[str, bool] | None) -> list[Mismatch]:
    client = Client(raise_request_exception=False)
    if identity is not None:
        client.force_login(world.users[identity])
    role, own = identity if identity is not None else (None, True)
    mismatches = []
    for name, method, url in _html_cells(world, identity):
        want = expected.HTML[name][method].answer(role, own=own)
        got = _ask(client, method, url)
        wrong = _judge(f"{method} {name}", _label(identity), want, got, f"{method} {url} ({name})")
        if wrong is not None:
            mismatches.append(wrong)
    return mismatches


def _api_url(key: str, entry: dict[str, Any], ids: dict[str, Any]) -> str | None:
    path = key.split(" ", 1)[1]
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    if "{" in path:
        return None
    query = {
        parameter["name"]: _example(
            entry["schema"], parameter.get("schema", {}), parameter["name"], ids
        )
        for parameter in entry["operation"].get("parameters", [])
        if parameter.get("in") == "query" and parameter.get("required")
    }
    query.update({name: ids[param] for name, param in QUERIES.get(key, {}).items()})
    return f"{path}?{urlencode(query)}" if query else path


def _ask_api(world: World, identity: tuple[str, bool] | None) -> list[Mismatch]:
    client = Client(raise_request_exception=False)
    headers = {} if identity is None else {"Authorization": f"Bearer {world.tokens[identity]}"}
    role, own = identity if identity is not None else (None, True)
    mismatches = []
    for key, entry in api_operations().items():
        url = _api_url(key, entry, world.api)
        if url is None or key not in expected.API:
            continue
        method = key.split(" ", 1)[0]
        kwargs: dict[str, Any] = {"headers": headers, **_request(key, entry, world.api)}
        want = expected.API[key].answer(role, own=own)
        got = _ask(client, method, url, **kwargs)
        wrong = _judge(key, _label(identity), want, got, key)
        if wrong is not None:
            mismatches.append(wrong)
    return mismatches


# --- The tests -------------------------------------------------------------------------------
def test_every_staff_url_has_its_expected_answers_written_down() -> None:
    names = {route.name for route in staff_routes()}
    assert sorted(names - set(expected.HTML)) == [], "URLs without an expectation"
    assert sorted(set(expected.HTML) - names) == [], "expectations of URLs that no longer exist"


def test_every_api_operation_has_its_expected_answer_written_down() -> None:
    operations = set(api_operations())
    assert sorted(operations - set(expected.API)) == [], "operations without an expectation"
    assert sorted(set(expected.API) - operations) == [], "expectations of gone operations"


def test_the_records_name_every_url_parameter(world: World) -> None:
    params = {param for route in staff_routes() for param in route.params}
    missing = sorted(params - set(world.html))
    assert missing == [], "no record of the owner organisation for these URL parameters"


@pytest.mark.django_db
@pytest.mark.parametrize("identity", IDENTITIES, ids=_label)
def test_staff_pages_answer_as_written_down(
    world: World, identity: tuple[str, bool] | None, settings: Any
) -> None:
    settings.MEDIA_ROOT = world.media_root
    mismatches = _ask_pages(world, identity)
    assert not mismatches, _label(identity) + ":\n" + "\n".join(map(str, mismatches))


@pytest.mark.django_db
@pytest.mark.parametrize("identity", IDENTITIES, ids=_label)
def test_api_operations_answer_as_written_down(
    world: World, identity: tuple[str, bool] | None, settings: Any
) -> None:
    settings.MEDIA_ROOT = world.media_root
    mismatches = _ask_api(world, identity)
    assert not mismatches, _label(identity) + ":\n" + "\n".join(map(str, mismatches))
