"""Referrals from before the referring organisation was recorded, and before summaries were
encrypted: fill in the case's organisation and encrypt plain-text summaries."""

from django.db import migrations


def fill_organisation_and_encrypt_summaries(apps, schema_editor):
    """Referrals from before this migration: the referring organisation is the case's, and
    summaries written in plain text are encrypted like every later one."""
    from madad.core import crypto

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET organisation_id = (SELECT c.organisation_id FROM "
            "cases_case c WHERE c.id = referrals_referral.case_id)"
        )
        cursor.execute(
            "SELECT id, shared_summary FROM referrals_referral WHERE shared_summary <> ''"
        )
        rows = cursor.fetchall()
        for pk, summary in rows:
            cursor.execute(
                "UPDATE referrals_referral SET shared_summary = %s WHERE id = %s",
                [crypto.encrypt(summary), pk],
            )


def decrypt_summaries(apps, schema_editor):
    from madad.core import crypto

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, shared_summary FROM referrals_referral WHERE shared_summary <> ''"
        )
        for pk, summary in cursor.fetchall():
            cursor.execute(
                "UPDATE referrals_referral SET shared_summary = %s WHERE id = %s",
                [crypto.decrypt(summary), pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_referral_organisation_referral_responded_by_and_more"),
    ]

    operations = [
        migrations.RunPython(fill_organisation_and_encrypt_summaries, decrypt_summaries),
    ]
