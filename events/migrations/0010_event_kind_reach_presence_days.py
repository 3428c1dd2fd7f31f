"""Formats, reach and presence mode, multi-day events and separate online seats (issue 16 part 3).

The former ``format`` (regional, national, virtual) mixed two things: whom an event addresses and how people take
part. It becomes ``reach`` (regional or national); a former virtual event is national and its presence ``virtual``.
"""

import django.core.validators
from django.db import migrations, models


def split_virtual(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Event.objects.filter(reach="virtual").update(reach="national", presence="virtual")


def join_virtual(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Event.objects.filter(presence="virtual").update(reach="virtual")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_event_review_published"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="event", name="event_venue_required_unless_virtual"),
        migrations.RemoveConstraint(model_name="event", name="event_end_after_start"),
        migrations.RenameField(model_name="event", old_name="format", new_name="reach"),
        migrations.AddField(
            model_name="event",
            name="presence",
            field=models.CharField(
                choices=[("in_person", "in Präsenz"), ("virtual", "virtuell"), ("hybrid", "hybrid (vor Ort und online)")],
                default="in_person",
                max_length=16,
                verbose_name="Teilnahmeform",
            ),
        ),
        migrations.RunPython(split_virtual, join_virtual),
    ]
