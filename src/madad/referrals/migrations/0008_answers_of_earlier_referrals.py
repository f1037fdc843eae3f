"""The history of answers for the referrals answered before it existed (issue #17).

A referral kept only its latest answer: the status, who answered, when, and a note, which was the
latest note written (an answer without a note kept the one before). The audit trail recorded
every answer (case.referral.accepted, .declined, .completed), who gave it, when, and whether it
came with a note, though never the note itself. So each answered referral gets:

- when the audit trail tells a consistent story of its answers (each a move the referral could
  make, by a user who exists, ending at the referral's status): one row per answer, the last one
  at the referral's own time and by its own `responded_by`, and the note on the latest answer
  that came with one, so that an earlier answer's note is not put beside a later status. The
  notes of still earlier answers were overwritten and are lost;
- otherwise one row: the referral's latest answer, from the status that answer comes from
  (declined: from sent, the only thing known), with its note.

A withdrawn referral that had been answered was accepted when it was withdrawn (only an accepted
one was still open). A referral whose answer names nobody (`responded_by` empty: no service wrote
that) gets no row, as a row needs the user who answered. The reverse removes the rows; referrals already with a history are left
alone, so a second run adds nothing.
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

ANSWERS = ("accepted", "declined", "completed")
# the statuses each answer may come from (referrals.services.ANSWERS)
COMES_FROM = {
    "accepted": ("sent",),
    "declined": ("sent", "accepted"),
    "completed": ("accepted",),
}


def _told_by_the_audit_trail(AuditEvent, db):
    """Referral id → its answers as audited, oldest first: [to, by, at, with a note]."""
    told = defaultdict(list)
    events = (
        AuditEvent.objects.using(db)
        .filter(
            object_type="referrals.referral",
            action__in=[f"case.referral.{status}" for status in ANSWERS],
        )
        .order_by("id")
        .values_list("object_id", "action", "actor_id", "at", "fields")
    )
    for object_id, action, actor_id, at, fields in events.iterator():
        told[object_id].append(
            [action.rsplit(".", 1)[1], actor_id, at, "response_note" in (fields or [])]
        )
    return told


def _steps(referral, latest, told, users):
    """[from, to, by, at, with a note] for each answer, oldest first."""
    steps = []
    status = "sent"
    for to, by, at, noted in told:
        if status not in COMES_FROM[to] or by not in users:
            steps = []
            break
        steps.append([status, to, by, at, noted])
        status = to
    if not steps or status != latest:
        return [
            [COMES_FROM[latest][0], latest, referral.responded_by_id, referral.responded_at, True]
        ]
    # the referral's own record of its latest answer; no earlier answer after it
    steps[-1][2:4] = [referral.responded_by_id, referral.responded_at]
    for earlier, later in zip(reversed(steps[:-1]), reversed(steps[1:]), strict=True):
        earlier[3] = min(earlier[3], later[3])
    return steps


def record_answers(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    ReferralAnswer = apps.get_model("referrals", "ReferralAnswer")
    AuditEvent = apps.get_model("core", "AuditEvent")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    db = schema_editor.connection.alias
    answered = (
        Referral.objects.using(db)
        .filter(
            status__in=[*ANSWERS, "withdrawn"],
            responded_at__isnull=False,
            responded_by__isnull=False,
        )
        .exclude(pk__in=ReferralAnswer.objects.using(db).values("referral_id"))
        .order_by("pk")
    )
    told = _told_by_the_audit_trail(AuditEvent, db)
    actors = {by for answers in told.values() for _to, by, _at, _noted in answers if by}
    users = set(User.objects.using(db).filter(pk__in=actors).values_list("pk", flat=True))
    rows = []
    for referral in answered.iterator():
        latest = referral.status if referral.status in ANSWERS else "accepted"
        steps = _steps(referral, latest, told.get(str(referral.pk), []), users)
        # an answer without a note kept the note before it: the note is the latest noted answer's
        noted = [i for i, step in enumerate(steps) if step[4]]
        holder = noted[-1] if noted else len(steps) - 1
        rows.extend(
            ReferralAnswer(
                referral_id=referral.pk,
                from_status=from_status,
                to_status=to_status,
                by_id=by,
                at=at,
                note=referral.response_note if i == holder else "",
            )
            for i, (from_status, to_status, by, at, _noted) in enumerate(steps)
        )
    ReferralAnswer.objects.using(db).bulk_create(rows, batch_size=500)


def forget_answers(apps, schema_editor):
    ReferralAnswer = apps.get_model("referrals", "ReferralAnswer")
    ReferralAnswer.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0007_referralanswer"),
        ("core", "0004_append_only_one_helper"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(record_answers, forget_answers),
    ]
