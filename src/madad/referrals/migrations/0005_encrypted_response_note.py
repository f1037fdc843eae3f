from django.db import migrations

import madad.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_referral_organisation_required"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="response_note",
            field=madad.core.fields.EncryptedTextField(blank=True, verbose_name="partner's note"),
        ),
    ]
