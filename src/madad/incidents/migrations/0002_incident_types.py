"""Seeds the incident-type vocabulary; administrators may add or retire types later."""

from django.db import migrations

TYPES = [
    ("targeted-killing", "Targeted killing", "ٹارگٹ کلنگ"),
    ("extortion-demand", "Extortion demand", "بھتے کا مطالبہ"),
    ("kidnapping-for-ransom", "Kidnapping for ransom", "تاوان کے لیے اغوا"),
    ("arson", "Arson", "آتش زنی"),
    ("bomb-or-grenade-attack", "Bomb or grenade attack", "بم یا دستی بم حملہ"),
    ("indiscriminate-firing", "Indiscriminate firing", "اندھا دھند فائرنگ"),
    ("enforced-disappearance", "Enforced disappearance", "جبری گمشدگی"),
    ("threat-or-intimidation", "Threat or intimidation", "دھمکی یا ڈرانا"),
    ("property-seizure", "Property seizure", "جائیداد پر قبضہ"),
    ("other", "Other", "دیگر"),
]


def seed(apps, schema_editor):
    IncidentType = apps.get_model("incidents", "IncidentType")
    for position, (code, name, name_ur) in enumerate(TYPES):
        IncidentType.objects.update_or_create(
            code=code, defaults={"name": name, "name_ur": name_ur, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("incidents", "IncidentType").objects.filter(
        code__in=[code for code, _, _ in TYPES], incidents__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
