"""Load the demo data: organisations, the practice days of the seed texts, upcoming events, and what
later apps add to them. Idempotent: a second run updates the same rows."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework.demo import seed_casework
from casework.feedback.demo import seed_feedback
from events.demo import seed_events, seed_materials, seed_projects, seed_questions, seed_speakers
from participants.demo import (
    seed_answers,
    seed_certificates,
    seed_check_in_day,
    seed_invitations,
    seed_mailings,
    seed_organisations,
    seed_registrations,
)


class Command(BaseCommand):
    help = "Lädt die Demo-Daten (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        organisations = seed_organisations()
        events = seed_events(organisations=organisations, today=today)
        projects = seed_projects()
        speakers = seed_speakers(events=events)
        materials = seed_materials(events=events)
        registrations = seed_registrations(events=events, organisations=organisations)
        registrations += seed_check_in_day(events=events, organisations=organisations)
        workshops = seed_casework(events=events)
        feedback = seed_feedback(events=events, today=today)
        mails = seed_mailings(events=events)
        certificates = seed_certificates()
        questions = seed_questions(events=events, today=today)
        answers = seed_answers(events=events)
        invitations = seed_invitations(events=events, organisations=organisations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {len(organisations)} organisations, {len(events)} events, "
                f"{registrations} registrations, {workshops} workshops, {feedback} feedback responses, "
                f"{mails} mails to participants, "
                f"{certificates} certificates of attendance, "
                f"{questions} questions with {answers} answers, {invitations} invitations, {projects} project, "
                f"{speakers} speakers, {materials} materials."
            )
        )
