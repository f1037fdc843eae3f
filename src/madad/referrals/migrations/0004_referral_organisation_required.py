import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_referral_organisation_and_encrypted_summaries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals_sent",
                to="accounts.organisation",
                verbose_name="referred by",
            ),
        ),
    ]
