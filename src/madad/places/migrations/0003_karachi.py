"""Every install gets Karachi's gazetteer (places/data/karachi.csv): the city, its seven
districts, its eighteen former towns and its well-known neighbourhoods.

Loading is by code, so a database that already has some of these places is updated, not
duplicated. The reverse removes the places of the file that nothing refers to.
"""

from django.db import migrations


def load_karachi(apps, schema_editor):
    from madad.places.gazetteer import (
        KARACHI,
        check_all,
        gazetteer_invalid,
        read_file,
        write_gazetteer,
    )

    Place = apps.get_model("places", "Place")
    rows, errors = read_file(KARACHI)
    errors = check_all(rows, errors, dict(Place.objects.values_list("code", "level")))
    if errors:
        raise gazetteer_invalid(errors)
    write_gazetteer(Place, rows)


def unload_karachi(apps, schema_editor):
    import contextlib

    from django.db.models import ProtectedError

    from madad.places.gazetteer import KARACHI, LEVELS, read_file

    Place = apps.get_model("places", "Place")
    rows, _errors = read_file(KARACHI)
    for level in reversed(LEVELS):
        for row in rows:
            if row.level == level:
                # kept when an incident or a place outside the file still refers to it
                with contextlib.suppress(ProtectedError):
                    Place.objects.filter(code=row.code).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_place_search_text_version"),
    ]

    operations = [
        migrations.RunPython(load_karachi, unload_karachi),
    ]
