"""Demo intake: Madad's two field forms, a demo phone, and a few fictitious submissions waiting
in the inbox — reports from the public form and incident reports from the phone. Idempotent.
Every name and text is made up and says so."""

from __future__ import annotations

import os
import uuid
from xml.sax.saxutils import escape

from django.db import transaction

from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.intake import devices, fieldforms, services
from madad.intake.models import Device, FormVersion, IntakeItem
from madad.places.models import Place

DEVICE_NAME = "Demo phone (fictitious)"
PUBLIC_REPORTS = [
    {
        "what": "Fictitious demo report: shots were heard near a market at night; a shopkeeper "
        "was taken to hospital.",
        "when": "",
        "where": "Near the vegetable market",
    },
    {
        "what": "فرضی ڈیمو رپورٹ: ایک دکاندار کو بھتے کی پرچی ملی اور دھمکی دی گئی۔",  # noqa: RUF001
        "when": "",
        "where": "",
    },
]
DEVICE_REPORTS = [
    ("Demo: a rickshaw driver injured in a shooting (fictitious)", "injured", "Ahmad Demo-Khan"),
    ("Demo: a tailor threatened for money (fictitious)", "extorted", "فرضی نام ڈیمو"),
]


def _incident_xml(version: FormVersion, title: str, act: str, name: str, district: str) -> str:
    instance_id = f"uuid:{uuid.uuid4()}"
    return (
        f'<incident_report id="incident_report" version="{escape(version.version)}">'
        "<incident_date>2026-11-20</incident_date><date_precision>day</date_precision>"
        f"<district>{escape(district)}</district><town/><neighbourhood/><location/>"
        "<types>targeted_killing</types>"
        f"<title>{escape(title)}</title><description>Fictitious demo submission.</description>"
        f"<victim><victim_name>{escape(name)}</victim_name><act>{act}</act><sex>male</sex>"
        "<age>40</age></victim><source>witness</source><photo/><audio/>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></incident_report>"
    )


def load(context: DemoContext) -> None:
    coordinator = context.users.get(Role.COORDINATOR)
    fieldforms.forms_ship(organisation=context.relief, added_by=coordinator)
    if not Device.objects.filter(organisation=context.relief, name=DEVICE_NAME).exists():
        bind = os.environ.get("MADAD_BIND") or "127.0.0.1:8000"
        made = devices.device_create(
            organisation=context.relief, name=DEVICE_NAME, created_by=coordinator
        )
        context.report.append(
            f"demo phone: server URL {devices.server_url(f'http://{bind}', made.token)} "
            "(shown once)"
        )
    if IntakeItem.objects.filter(organisation=context.relief).exists():
        return
    device = Device.objects.get(organisation=context.relief, name=DEVICE_NAME)
    version = FormVersion.objects.filter(
        form__organisation=context.relief, form__form_id="incident_report"
    ).first()
    district = Place.objects.filter(level=Place.Level.DISTRICT).order_by("code").first()
    with transaction.atomic():
        for report in PUBLIC_REPORTS:
            services.public_report_receive(report, organisation=context.relief)
        if version is None or district is None:
            return
        for title, act, name in DEVICE_REPORTS:
            xml = _incident_xml(version, title, act, name, district.code)
            IntakeItem.objects.create(
                organisation=context.relief,
                source=IntakeItem.Source.DEVICE,
                device=device,
                form_version=version,
                instance_id=xml.split("<instanceID>")[1].split("<")[0],
                payload=xml,
                received_sha256="0" * 64,
                encrypted=True,
                status=IntakeItem.Status.NEW,
            )
    context.report.append("intake: 2 public reports and 2 phone submissions in the inbox")
