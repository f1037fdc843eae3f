from django.db import migrations

from madad.core.append_only import Install


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]
    operations = [Install("fund_journalentry"), Install("fund_journalline")]
