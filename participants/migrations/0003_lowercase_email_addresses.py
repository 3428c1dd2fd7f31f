"""Store every e-mail address normalised (lower case, no surrounding blanks), as participants.emails does.

Accounts created in the admin kept the capitals they were typed with, so allauth, which looks addresses up in
lower case, could not find them. This lower-cases ``participants_user.email`` and allauth's
``account_emailaddress.email``. allauth rows of one account that become equal are merged into one (verified and
primary if any of them was); a verified address that another account has verified already stays unverified.
The next migration adds the check constraint that keeps it so.
"""

from django.db import migrations

# The function of participants.emails, copied: a migration must not change when the app code does.


def normalise_email(value):
    return (value or "").strip().lower()


def lowercase_email_addresses(apps, schema_editor):
    alias = schema_editor.connection.alias
    User = apps.get_model("participants", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")

    users = list(User.objects.using(alias).only("pk", "email"))
    taken = {}
    for user in users:
        email = normalise_email(user.email)
        if email in taken and taken[email] != user.pk:
            raise RuntimeError(
                f"Accounts {taken[email]} and {user.pk} have the same e-mail address apart from case or blanks; "
                "merge or change one of them in the admin, then migrate again."
            )
        taken[email] = user.pk
    for user in users:
        email = normalise_email(user.email)
        if user.email != email:
            User.objects.using(alias).filter(pk=user.pk).update(email=email)

    # Decide first, then write in an order the unique constraints allow: duplicates go, then addresses lose a
    # verification another account holds, then the kept rows get their normalised address.
    rows = list(EmailAddress.objects.using(alias).order_by("-verified", "-primary", "pk"))
    kept = {}  # (user id, address) -> row kept
    duplicates = []
    for row in rows:
        key = (row.user_id, normalise_email(row.email))
        if key in kept:
            kept[key].primary = kept[key].primary or row.primary
            duplicates.append(row.pk)
        else:
            kept[key] = row
    verified_by = {}
    for (user_id, email), row in kept.items():
        row.new_email = email
        row.new_verified = row.verified and verified_by.setdefault(email, user_id) == user_id
    EmailAddress.objects.using(alias).filter(pk__in=duplicates).delete()
    for row in kept.values():
        if row.verified and not row.new_verified:
            EmailAddress.objects.using(alias).filter(pk=row.pk).update(verified=False)
    for row in kept.values():
        EmailAddress.objects.using(alias).filter(pk=row.pk).update(
            email=row.new_email, verified=row.new_verified, primary=row.primary
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0002_default_organisation_types"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(lowercase_email_addresses, migrations.RunPython.noop)]
