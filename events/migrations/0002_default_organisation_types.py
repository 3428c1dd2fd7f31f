"""The organisation types KOK invites to its practice days; staff can add and rename them in the admin."""

from django.db import migrations

DEFAULT_TYPES = [
    ("fachberatungsstelle", "Fachberatungsstelle", "Specialist counselling centre", 10,
     "Spezialisierte Fachberatungsstelle für Betroffene von Menschenhandel"),
    ("bamf", "BAMF-Sonderbeauftragte", "BAMF special officer", 20,
     "Sonderbeauftragte für Opfer von Menschenhandel des BAMF (Außenstellen und Referat 61A)"),
    ("jugendhilfe", "Jugendamt / Jugendhilfe", "Youth welfare office / facility", 30,
     "Jugendämter und Jugendhilfeeinrichtungen"),
    ("gefluechtete", "Beratungsstelle für Geflüchtete", "Counselling centre for refugees", 40,
     "Beratungsstellen für (minderjährige) Geflüchtete"),
    ("kok", "KOK-Geschäftsstelle", "KOK office", 50, "Geschäftsstelle des KOK e.V."),
    ("sonstige", "Sonstige", "Other", 90, "Weitere Fachstellen, z. B. Projekte für Jungen in der Prostitution"),
]


def create_types(apps, schema_editor):
    OrganisationType = apps.get_model("events", "OrganisationType")
    for slug, name, name_en, position, description in DEFAULT_TYPES:
        OrganisationType.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "position": position, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
