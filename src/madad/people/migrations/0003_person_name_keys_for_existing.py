"""Name keys for the persons recorded before name search existed."""

from django.db import migrations

NAME_FIELDS = ("given_name", "family_name", "full_name_ur", "aliases", "father_name")


def build_keys(apps, schema_editor):
    from madad.people.name_index import person_name_keys

    Person = apps.get_model("people", "Person")
    PersonNameKey = apps.get_model("people", "PersonNameKey")
    for person in Person.objects.order_by("pk").iterator(chunk_size=500):
        keys = person_name_keys(**{name: getattr(person, name) for name in NAME_FIELDS})
        PersonNameKey.objects.filter(person_id=person.pk).delete()
        PersonNameKey.objects.bulk_create(
            PersonNameKey(person_id=person.pk, purpose=purpose, key=key)
            for purpose, key in sorted(keys)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_name_key"),
    ]

    operations = [
        migrations.RunPython(build_keys, migrations.RunPython.noop),
    ]
