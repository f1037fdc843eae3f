from django.db import migrations

from madad.core.append_only import Install


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [Install("madad_audit_event")]
