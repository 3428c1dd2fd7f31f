"""Demo organisations and fictitious people for `manage.py seed_demo`.

All people are invented; e-mail addresses use the reserved domain ``example.org``. Counselling centres
are fictitious; public bodies (BAMF branch offices, youth welfare offices) are named by place only.
"""

from __future__ import annotations

import random

from events.models import Organisation, OrganisationType
from kokportal.federal_states import FederalState

# (name, type slug, city, federal state, KOK member)
ORGANISATIONS = [
    ("KOK e.V. – Geschäftsstelle", "kok", "Berlin", FederalState.BE, False),
    ("BAMF – Referat 61A", "bamf", "Nürnberg", FederalState.BY, False),
    ("BAMF – Außenstelle Berlin", "bamf", "Berlin", FederalState.BE, False),
    ("BAMF – Außenstelle Hamburg", "bamf", "Hamburg", FederalState.HH, False),
    ("BAMF – Außenstelle Bremen", "bamf", "Bremen", FederalState.HB, False),
    ("BAMF – Außenstelle Dortmund", "bamf", "Dortmund", FederalState.NW, False),
    ("BAMF – Außenstelle Düsseldorf", "bamf", "Düsseldorf", FederalState.NW, False),
    ("BAMF – Außenstelle Karlsruhe", "bamf", "Karlsruhe", FederalState.BW, False),
    ("BAMF – Außenstelle München", "bamf", "München", FederalState.BY, False),
    ("BAMF – Außenstelle Chemnitz", "bamf", "Chemnitz", FederalState.SN, False),
    ("BAMF – Außenstelle Eisenhüttenstadt", "bamf", "Eisenhüttenstadt", FederalState.BB, False),
    ("BAMF – Außenstelle Gießen", "bamf", "Gießen", FederalState.HE, False),
    ("BAMF – Außenstelle Braunschweig", "bamf", "Braunschweig", FederalState.NI, False),
    ("BAMF – Außenstelle Neumünster", "bamf", "Neumünster", FederalState.SH, False),
    ("ECPAT Deutschland e.V.", "sonstige", "Freiburg im Breisgau", FederalState.BW, True),
    ("Bundeskriminalamt (BKA)", "sonstige", "Wiesbaden", FederalState.HE, False),
    ("Fachberatungsstelle Lichtblick", "fachberatungsstelle", "Hamburg", FederalState.HH, True),
    ("Fachberatungsstelle Brückenschlag", "fachberatungsstelle", "Berlin", FederalState.BE, True),
    ("Beratungsstelle Weitblick", "fachberatungsstelle", "Berlin", FederalState.BE, True),
    ("Fachberatungsstelle Anker", "fachberatungsstelle", "Bremen", FederalState.HB, True),
    ("Fachberatungsstelle Morgenrot", "fachberatungsstelle", "Dortmund", FederalState.NW, True),
    ("Beratungsstelle Kompass", "fachberatungsstelle", "Köln", FederalState.NW, True),
    ("Fachberatungsstelle Wegweiser", "fachberatungsstelle", "Stuttgart", FederalState.BW, True),
    ("Fachberatungsstelle Lotsin", "fachberatungsstelle", "München", FederalState.BY, True),
    ("Fachberatungsstelle Zuflucht", "fachberatungsstelle", "Leipzig", FederalState.SN, True),
    ("Fachberatungsstelle Nordlicht", "fachberatungsstelle", "Kiel", FederalState.SH, True),
    ("Fachberatungsstelle Horizont", "fachberatungsstelle", "Hannover", FederalState.NI, True),
    ("Fachberatungsstelle Leuchtturm", "fachberatungsstelle", "Rostock", FederalState.MV, True),
    ("Fachberatungsstelle Brücke", "fachberatungsstelle", "Frankfurt am Main", FederalState.HE, True),
    ("Beratungsstelle Schutzraum", "fachberatungsstelle", "Potsdam", FederalState.BB, True),
    ("Jugendamt Berlin-Mitte", "jugendhilfe", "Berlin", FederalState.BE, False),
    ("Jugendamt Hamburg-Nord", "jugendhilfe", "Hamburg", FederalState.HH, False),
    ("Kinder- und Jugendnotdienst Berlin", "jugendhilfe", "Berlin", FederalState.BE, False),
    ("Clearinghaus für unbegleitete Minderjährige", "jugendhilfe", "Hamburg", FederalState.HH, False),
    ("Jugendamt Köln", "jugendhilfe", "Köln", FederalState.NW, False),
    ("Beratungsstelle für junge Geflüchtete Ankommen", "gefluechtete", "Berlin", FederalState.BE, False),
    ("Flüchtlingsberatung Perspektive", "gefluechtete", "Hamburg", FederalState.HH, False),
    ("Beratung für geflüchtete Frauen Sonnenblume", "gefluechtete", "Leipzig", FederalState.SN, False),
    ("Projekt für Jungen in der Prostitution Querweg", "sonstige", "Berlin", FederalState.BE, False),
]

FIRST_NAMES = [
    "Anna",
    "Lena",
    "Miriam",
    "Sabine",
    "Jana",
    "Katharina",
    "Fatma",
    "Elena",
    "Nadia",
    "Sophie",
    "Julia",
    "Hanna",
    "Marta",
    "Clara",
    "Ines",
    "Lea",
    "Nora",
    "Petra",
    "Aylin",
    "Dana",
    "Thomas",
    "Jonas",
    "Markus",
    "Daniel",
    "Tobias",
    "Stefan",
    "Kemal",
    "Felix",
    "David",
    "Lukas",
    "Simon",
    "Paul",
    "Moritz",
    "Jan",
    "Omar",
    "Robert",
    "Matthias",
    "Niklas",
    "Sven",
    "Tim",
]
LAST_NAMES = [
    "Schneider",
    "Fischer",
    "Weber",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Kaiser",
    "Yılmaz",
    "Nowak",
    "Kowalski",
    "Popescu",
    "Ivanova",
    "Schulze",
    "Brandt",
    "Vogel",
    "Friedrich",
    "Berger",
]
FUNCTIONS = {
    "fachberatungsstelle": ["Beraterin", "Berater", "Sozialarbeiterin", "Leitung der Beratungsstelle"],
    "bamf": ["Sonderbeauftragte für Opfer von Menschenhandel", "Sonderbeauftragter für Opfer von Menschenhandel"],
    "jugendhilfe": ["Fachkraft im Allgemeinen Sozialen Dienst", "Vormund", "Einrichtungsleitung"],
    "gefluechtete": ["Asylverfahrensberaterin", "Sozialberater"],
    "kok": ["Referentin", "Projektkoordination"],
    "sonstige": ["Referentin", "Streetwork"],
}


def seed_organisations() -> dict[str, Organisation]:
    """Create or update the demo organisations; returns them by name."""
    types = {t.slug: t for t in OrganisationType.objects.all()}
    result = {}
    for name, type_slug, city, state, member in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name,
            organisation_type=types[type_slug],
            city=city,
            defaults={"federal_state": state, "is_kok_member": member, "is_reviewed": True},
        )
        result[name] = org
    return result


def fictitious_person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


# Who took part in the past events (organisation type slug -> number of people), from the seed texts
# where they give figures (36 in 2020; 20 + 20 in 2019), estimated where they do not.
PAST_PARTICIPATION = {
    "praxisfachtag-2016-minderjaehrige-gefluechtete": {
        "fachberatungsstelle": 14,
        "jugendhilfe": 12,
        "gefluechtete": 9,
        "sonstige": 6,
        "kok": 2,
    },
    "regionaler-praxisfachtag-hamburg-2017": {"fachberatungsstelle": 9, "bamf": 7, "kok": 2},
    "regionaler-praxisfachtag-berlin-2017": {"fachberatungsstelle": 11, "bamf": 9, "kok": 2},
    "kok-bamf-praxisfachtag-2019": {"fachberatungsstelle": 20, "bamf": 20},
    # 36 participants: counselling centres, BAMF branch offices, Referat 61A and the KOK office.
    "praxisfachtag-2020-virtuell": {"fachberatungsstelle": 18, "bamf": 15, "kok": 3},
}
# The upcoming regional meeting: counselling centres nearly full (11 of 12), so the waiting list can be tried.
UPCOMING_PARTICIPATION = {
    "vernetzungstreffen-niedersachsen-bremen": {"fachberatungsstelle": 11, "bamf": 3, "jugendhilfe": 1},
}


def _organisations_by_type(organisations: dict[str, Organisation]) -> dict[str, list[Organisation]]:
    result: dict[str, list[Organisation]] = {}
    for org in organisations.values():
        result.setdefault(org.organisation_type.slug, []).append(org)
    for orgs in result.values():
        orgs.sort(key=lambda o: o.name)
    return result


def seed_registrations(*, events, organisations: dict[str, Organisation]) -> int:
    """Fictitious registrations: attended for past events, confirmed for the upcoming one. Keyed by
    (event, e-mail), so a second run changes nothing."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from kokportal.demo import demo_account

    from .enums import RegistrationStatus
    from .models import Registration

    by_type = _organisations_by_type(organisations)
    bamf_branches = [o for o in by_type["bamf"] if "Referat 61A" not in o.name]
    referat = [o for o in by_type["bamf"] if "Referat 61A" in o.name]
    count = 0
    plan = {**PAST_PARTICIPATION, **UPCOMING_PARTICIPATION}
    for slug, per_type in plan.items():
        event = events[slug]
        rng = random.Random(slug)  # noqa: S311 - deterministic demo data, not security
        past = slug in PAST_PARTICIPATION
        status = RegistrationStatus.ATTENDED if past else RegistrationStatus.CONFIRMED
        registered_at = timezone.make_aware(dt.datetime.combine(event.date - dt.timedelta(days=30), dt.time(10)))
        if not past:
            registered_at = event.registration_opens + dt.timedelta(hours=2)
        n = 0
        for type_slug, number in per_type.items():
            for i in range(number):
                n += 1
                if type_slug == "bamf":
                    # Two people from Referat 61A at the 2020 day, the rest from branch offices.
                    pool = referat if (slug == "praxisfachtag-2020-virtuell" and i < 2) else bamf_branches
                else:
                    pool = by_type[type_slug]
                organisation = pool[i % len(pool)]
                first, last = fictitious_person(rng)
                email = f"{slug[:24].rstrip('-')}.{n:02d}@example.org"
                user = demo_account(email, first_name=first, last_name=last)
                consent = rng.random() < 0.7
                Registration.objects.update_or_create(
                    event=event,
                    email=email,
                    defaults={
                        "user": user,
                        "status": status,
                        "organisation_type": organisation.organisation_type,
                        "organisation": organisation,
                        "first_name": user.first_name,
                        "last_name": user.last_name,
                        "function": rng.choice(FUNCTIONS[type_slug]),
                        "federal_state": organisation.federal_state,
                        "privacy_consent_version": settings.KOKPORTAL["PRIVACY_NOTICE_VERSION"],
                        "privacy_consented_at": registered_at,
                        "contact_list_consent": consent,
                        "contact_list_consented_at": registered_at if consent else None,
                        "confirmed_at": registered_at,
                    },
                )
                count += 1
    return count


# The practice day of today (events.demo): who is expected at the door, by organisation type, and two people who
# are not (one waiting, one cancelled), so the check-in shows both.
CHECK_IN_DAY = "regionaler-praxisfachtag-berlin-brandenburg"
CHECK_IN_PARTICIPATION = {"fachberatungsstelle": 9, "bamf": 5, "jugendhilfe": 2}
CHECK_IN_TEAM_EMAIL = "moderation@example.org"


def seed_check_in_day(*, events, organisations: dict[str, Organisation]) -> int:
    """Registrations for today's practice day and its facilitator (moderation@example.org, who runs the check-in).
    Created once (get_or_create): check-ins tried in the demo stay when the demo data are loaded again."""
    import datetime as dt

    from django.conf import settings

    from events.enums import TeamRole
    from events.models import EventTeamMember
    from kokportal.demo import demo_account

    from .enums import RegistrationStatus
    from .models import Registration

    event = events[CHECK_IN_DAY]
    team = demo_account(CHECK_IN_TEAM_EMAIL, first_name="Miriam", last_name="Hartmann")
    EventTeamMember.objects.get_or_create(event=event, user=team, role=TeamRole.FACILITATOR)
    by_type = _organisations_by_type(organisations)
    rng = random.Random(CHECK_IN_DAY)  # noqa: S311 - deterministic demo data, not security
    registered_at = event.registration_opens + dt.timedelta(hours=3)
    people = [(type_slug, i) for type_slug, number in CHECK_IN_PARTICIPATION.items() for i in range(number)]
    people += [("fachberatungsstelle", 9), ("fachberatungsstelle", 10)]  # waiting, cancelled
    count = 0
    for n, (type_slug, i) in enumerate(people, start=1):
        status = RegistrationStatus.CONFIRMED
        if n == len(people) - 1:
            status = RegistrationStatus.WAITLISTED
        elif n == len(people):
            status = RegistrationStatus.CANCELLED
        pool = [o for o in by_type[type_slug] if "Referat 61A" not in o.name]
        organisation = pool[i % len(pool)]
        first, last = fictitious_person(rng)
        email = f"berlin-brandenburg.{n:02d}@example.org"
        user = demo_account(email, first_name=first, last_name=last)
        Registration.objects.get_or_create(
            event=event,
            email=email,
            defaults={
                "user": user,
                "status": status,
                "organisation_type": organisation.organisation_type,
                "organisation": organisation,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "function": rng.choice(FUNCTIONS[type_slug]),
                "federal_state": organisation.federal_state or "BE",
                "privacy_consent_version": settings.KOKPORTAL["PRIVACY_NOTICE_VERSION"],
                "privacy_consented_at": registered_at,
                "confirmed_at": registered_at if status != RegistrationStatus.WAITLISTED else None,
                "waitlisted_at": registered_at if status == RegistrationStatus.WAITLISTED else None,
                "cancelled_at": registered_at + dt.timedelta(days=5)
                if status == RegistrationStatus.CANCELLED
                else None,
            },
        )
        count += 1
    return count


# A mail staff sent after a past practice day (participants.mailings), with what became of each delivery.
DEMO_MAILING = {
    "event": "kok-bamf-praxisfachtag-2019",
    "subject": "Dokumentation zum {veranstaltung}",
    "body": (
        "Guten Tag {vorname} {nachname},\n\n"
        "vielen Dank für Ihre Teilnahme am {datum} in {ort}. Die Dokumentation des Praxisfachtags steht jetzt "
        "für Sie bereit; Ihre Anmeldung und die Unterlagen finden Sie hier: {link_anmeldung}\n\n"
        "Mit freundlichen Grüßen\n"
        "Ihre KOK-Geschäftsstelle"
    ),
}


def seed_mailings(*, events) -> int:
    """A sent mailing to the people who attended the 2019 day, as the tasks would have recorded it (no mail is
    sent). Keyed by event and subject, so a second run changes nothing. Returns the number of deliveries."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from kokportal.models import User

    from .enums import DeliveryState, MailingStatus
    from .mailings import mailing_recipients
    from .models import Mailing, MailingDelivery

    event = events[DEMO_MAILING["event"]]
    sent_at = timezone.make_aware(dt.datetime.combine(event.date + dt.timedelta(days=14), dt.time(10)))
    recipients = list(mailing_recipients(event=event, statuses=[MailingStatus.ATTENDED]))
    mailing, _ = Mailing.objects.update_or_create(
        event=event,
        subject=DEMO_MAILING["subject"],
        defaults={
            "statuses": [MailingStatus.ATTENDED.value],
            "body": DEMO_MAILING["body"],
            "sent_by": User.objects.filter(email=settings.KOKPORTAL["DEMO_ADMIN_EMAIL"]).first(),
            "recipient_count": len(recipients),
            "sent_count": len(recipients),
            "failed_count": 0,
        },
    )
    Mailing.objects.filter(pk=mailing.pk).update(created=sent_at)
    for registration in recipients:
        MailingDelivery.objects.update_or_create(
            mailing=mailing,
            registration=registration,
            defaults={"state": DeliveryState.SENT, "attempts": 1, "finished_at": sent_at},
        )
    return len(recipients)


# KOK's signature block on the demo certificates: a fictitious person, a drawn line as the signature.
DEMO_SIGNATURE = {"name": "Dr. Marlene Beispiel", "role": "Geschäftsführerin", "role_en": "Managing Director"}


def _demo_signature_image() -> bytes:
    """A hand-drawn-looking signature stroke (deterministic), as a PNG."""
    import io
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 200), "white")
    draw = ImageDraw.Draw(image)
    points = [(30 + x * 5.8, 110 - 42 * math.sin(x / 7) * math.cos(x / 23) - x * 0.25) for x in range(100)]
    draw.line(points, fill="#1b2a6b", width=5, joint="curve")
    draw.line([(120, 150), (540, 128)], fill="#1b2a6b", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_certificates() -> int:
    """KOK's signature block and a certificate of attendance for everyone marked attended at a past demo event, so
    the start page of a demo participant offers it and the admin lists them. Idempotent: the signature record is
    updated in place, and ``certificate_issue`` returns a registration's existing certificate."""
    from .enums import RegistrationStatus
    from .models import CertificateSignature, Registration
    from .services import certificate_issue, signature_image_to_png

    png, width, height = signature_image_to_png(_demo_signature_image())
    CertificateSignature.objects.update_or_create(
        id=CertificateSignature.SINGLETON_ID,
        defaults={**DEMO_SIGNATURE, "image_png": png, "image_width": width, "image_height": height},
    )
    attended = Registration.objects.filter(
        status=RegistrationStatus.ATTENDED, anonymised_at__isnull=True, email__endswith="@example.org"
    ).order_by("pk")
    for registration in attended:
        certificate_issue(registration=registration)
    return attended.count()


def seed_answers(*, events) -> int:
    """Answers of the demo registrations of upcoming events to their events' questions (events.demo.seed_questions),
    chosen by a generator seeded with the registration's address: a second run writes the same answers."""
    from django.utils import timezone

    from events.enums import QuestionKind
    from events.selectors import registration_questions

    from .models import Registration, RegistrationAnswer

    count = 0
    for event in events.values():
        if event.date < timezone.localdate():
            continue
        questions = registration_questions(event=event)
        if not questions:
            continue
        for registration in Registration.objects.filter(event=event, anonymised_at__isnull=True).order_by("pk"):
            rng = random.Random(registration.email)  # noqa: S311 - deterministic demo data, not security
            for question in questions:
                if not question.applies_to(registration.organisation_type_id):
                    continue
                values = {"text": "", "number": None, "date": None, "yes": None, "choices": []}
                options = len(question.option_list)
                if question.kind == QuestionKind.YES_NO:
                    values["yes"] = rng.random() < 0.6
                elif question.kind == QuestionKind.SINGLE_CHOICE:
                    values["choices"] = [0 if rng.random() < 0.7 else rng.randrange(options)]
                elif question.kind == QuestionKind.MULTIPLE_CHOICE:
                    values["choices"] = sorted(rng.sample(range(options), rng.randint(0, min(2, options))))
                    if not values["choices"]:
                        continue
                else:
                    continue
                RegistrationAnswer.objects.update_or_create(
                    registration=registration, question=question, defaults=values
                )
                count += 1
    return count


# Invitations (participants.invitations): the organisations' functional addresses (fictitious, example.org), people
# of the 2019 and 2020 days who consented to hear about future practice days, and the invitations already sent to
# the upcoming regional meeting in Lower Saxony and Bremen, some opened.
CONSENT_EVENTS = ("kok-bamf-praxisfachtag-2019", "praxisfachtag-2020-virtuell")
INVITED_EVENT = "vernetzungstreffen-niedersachsen-bremen"


def seed_invitations(*, events, organisations: dict[str, Organisation]) -> int:
    """Functional addresses, consents and one batch of invitations; keyed by address, so a second run changes
    nothing. Returns the number of invitations."""
    import datetime as dt
    import secrets

    from django.utils import timezone
    from django.utils.text import slugify

    from .enums import DeliveryState, InvitationSource, RegistrationStatus
    from .invitations import CONSENT_VERSION
    from .models import Invitation, InvitationBatch, InvitationConsent, Registration

    for org in organisations.values():
        if org.organisation_type.slug == "kok" or org.contact_email:
            continue
        name = org.name.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
        org.contact_email = f"info@{slugify(name)[:40].strip('-')}.example.org"
        org.save(update_fields=["contact_email"])
    for slug in CONSENT_EVENTS:
        rng = random.Random(f"consent-{slug}")  # noqa: S311 - deterministic demo data, not security
        for registration in Registration.objects.filter(
            event=events[slug], status=RegistrationStatus.ATTENDED, anonymised_at__isnull=True
        ).order_by("pk"):
            if rng.random() >= 0.4:
                continue
            consent, _created = InvitationConsent.objects.get_or_create(
                email=registration.email,
                defaults={
                    "user": registration.user,
                    "first_name": registration.first_name,
                    "last_name": registration.last_name,
                    "organisation_type": registration.organisation_type,
                    "organisation": registration.organisation,
                    "federal_state": registration.federal_state,
                    "consent_version": CONSENT_VERSION,
                    "consented_at": registration.confirmed_at or timezone.now(),
                },
            )
            consent.events.add(registration.event_id)
    event = events[INVITED_EVENT]
    if Invitation.objects.filter(event=event).exists():
        return Invitation.objects.filter(event=event).count()
    targets = [
        o
        for o in organisations.values()
        if o.contact_email and o.federal_state in ("NI", "HB") and o.organisation_type in event.invited_types.all()
    ]
    if not targets:
        return 0
    sent_at = (event.registration_opens or timezone.now()) - dt.timedelta(days=7)
    batch = InvitationBatch.objects.create(
        event=event,
        segment={
            "organisations": True,
            "consents": False,
            "organisation_types": [],
            "federal_states": ["HB", "NI"],
            "kok_members_only": False,
            "past_events": [],
        },
        note="Die Anmeldung öffnet eine Woche nach dieser Einladung.",
        invited_count=len(targets),
    )
    rng = random.Random("invitations")  # noqa: S311 - deterministic demo data, not security
    Invitation.objects.bulk_create(
        [
            Invitation(
                batch=batch,
                event=event,
                email=o.contact_email,
                source=InvitationSource.ORGANISATION,
                organisation=o,
                organisation_type=o.organisation_type,
                name=o.name,
                token=secrets.token_urlsafe(32),
                state=DeliveryState.SENT,
                sent_at=sent_at,
                opened_at=sent_at + dt.timedelta(days=1) if rng.random() < 0.6 else None,
            )
            for o in targets
        ]
    )
    return len(targets)
