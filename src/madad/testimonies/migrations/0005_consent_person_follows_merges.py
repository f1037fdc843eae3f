"""The consent records' guard lets a merge of two records of one human move their decisions
to the kept record (person_id only); every other column stays refused to UPDATE, and DELETE
stays refused. Before, merging a person who had given consent was refused."""

from django.db import migrations

from madad.core.append_only import Install


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0004_consent_append_only_guard")]
    operations = [Install("testimonies_consentrecord")]
