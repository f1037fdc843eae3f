"""Field forms: adding an XLSForm (a new form, or a new version of one), shipping Madad's two
forms, closing and reopening a form. Coordinators do this (intake.manage)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, invalid
from madad.intake import encryption, xlsform
from madad.intake.models import Form, FormVersion


def _check_key(converted: xlsform.Converted) -> None:
    """A form that carries a public key must carry the organisation's: submissions encrypted
    to any other key could never be read here."""
    if converted.encrypted and f'base64RsaPublicKey="{encryption.public_key_base64()}"' not in (
        converted.xml
    ):
        raise invalid(
            "xlsform",
            _(
                "The form's public key is not the organisation's: Madad could not read what is "
                "sent with it. Remove the key from the settings sheet and add the form with "
                "encryption asked for."
            ),
        )


def form_add(
    *,
    organisation: Organisation,
    data: bytes,
    added_by: User | None,
    encrypt: bool = False,
    media: dict[str, str] | None = None,
) -> FormVersion:
    """Adds an XLSForm: a new form, or a new version of the form with its id. With `encrypt`,
    the organisation's public key is written into its settings first. `Invalid` on field
    "xlsform" (nothing stored) when the file is not a form, names a version already added, or
    carries another key."""
    if encrypt:
        data = _with_public_key(data)
    converted = xlsform.convert_xlsform(data, media=media)
    _check_key(converted)
    with transaction.atomic():
        form, created = Form.objects.get_or_create(
            organisation=organisation,
            form_id=converted.form_id,
            defaults={"title": converted.title[:200], "created_by": added_by},
        )
        if FormVersion.objects.filter(form=form, version=converted.version).exists():
            raise invalid(
                "xlsform",
                _(
                    "Version %(version)s of this form is already here. Raise the version in the "
                    "settings sheet."
                )
                % {"version": converted.version},
            )
        if not created and form.title != converted.title[:200]:
            form.title = converted.title[:200]
            form.save(update_fields=["title"])
        version = FormVersion.objects.create(
            form=form,
            version=converted.version,
            xml=converted.xml,
            md5=converted.md5,
            xlsform=data,
            media=converted.media,
            encrypted=converted.encrypted,
            created_by=added_by,
        )
        audit_record(
            action="intake.form.added",
            actor=added_by,
            organisation=organisation,
            obj=version,
            fields=["xlsform", "encrypted"] if converted.encrypted else ["xlsform"],
        )
    return version


def _with_public_key(data: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data))
    except Exception as exc:  # not a workbook: convert_xlsform says so in its own words
        raise invalid("xlsform", _("This is not an XLSForm (.xlsx) file.")) from exc
    if "settings" not in book.sheetnames:
        book.create_sheet("settings").append(["public_key"])
    sheet = book["settings"]
    header = [cell.value for cell in sheet[1]]
    if "public_key" not in header:
        sheet.cell(row=1, column=len(header) + 1, value="public_key")
        header.append("public_key")
    sheet.cell(row=2, column=header.index("public_key") + 1, value=encryption.public_key_base64())
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def forms_ship(*, organisation: Organisation, added_by: User | None) -> list[FormVersion]:
    """Adds Madad's two forms, encrypted to the organisation's key, as new versions when
    their content (vocabularies, gazetteer, key) changed since the last; returns what was
    added."""
    added = []
    key = encryption.public_key_base64()
    prefix = timezone.localtime().strftime("%Y%m%d%H%M")
    with transaction.atomic():  # both or neither
        for form_id in (xlsform.INCIDENT_FORM, xlsform.HOUSEHOLD_FORM):
            ship = xlsform.shipped(form_id, version_prefix=prefix, public_key=key)
            current = FormVersion.objects.filter(
                form__organisation=organisation, form__form_id=form_id
            ).first()
            if current is not None and current.version.endswith(f"-{ship.digest}"):
                continue
            added.append(
                form_add(
                    organisation=organisation,
                    data=ship.xlsform,
                    added_by=added_by,
                    media=ship.media,
                )
            )
    return added


def form_set_state(*, form: Form, state: str, by: User) -> Form:
    if state not in Form.State.values:
        raise invalid("state", _("Choose open or closed."))
    if form.state == state:
        raise Conflict(_("The form is already in that state."))
    with transaction.atomic():
        Form.objects.filter(pk=form.pk).update(state=state)
        form.state = state
        audit_record(action=f"intake.form.{state}", actor=by, obj=form)
    return form
