"""Demo feedback for `manage.py seed_demo`: every event gets its questionnaire with the default questions, and
the past events get invitations and realistic anonymous answers.

The figures follow what the seed texts report: the exchange with one another is the main value of the day,
and people wish for regular regional formats (from the 2020 virtual day on, the regional networking
meetings). Each rating question has the scale its wording asks for; the contacts made on the day help most where
people met in person, least at the virtual day, whose format question ("virtuelles Format") is not compared with
the in-person format question of the earlier days. Idempotent: an event that already has answers is left alone,
and ids come from a seeded random generator, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from casework.feedback.enums import QuestionKind
from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse
from participants.enums import RegistrationStatus

from .services import hash_token, new_token, questionnaire_ensure_default

K = QuestionKind


@dataclass(frozen=True)
class Profile:
    """How one event's participants answered: share who answered, mean ratings, share wishing for regional
    meetings, and the free texts they wrote."""

    rate: float
    means: dict[str, float]
    regional_yes: float
    texts: dict[str, list[str]] = field(default_factory=dict)


PROFILES = {
    "praxisfachtag-2016-minderjaehrige-gefluechtete": Profile(
        rate=0.6,
        means={
            "overall": 4.2,
            "exchange": 4.8,
            "inputs": 4.3,
            "case_work": 4.0,
            "organisation": 4.2,
            "format": 4.3,
            "contacts": 4.4,
        },
        regional_yes=0.76,
        texts={
            "helped": [
                "Die Instrumente zur Identifizierung: Die Checkliste nutze ich jetzt im Jugendamt.",
                "Zu verstehen, wie Fachberatungsstellen arbeiten und wann ich sie einbeziehen kann.",
                "Jugendamt, Fachberatungsstelle und Flüchtlingsberatung an einem Tisch in der Kleingruppe.",
                "Die Ergebnisse des Expert*innengesprächs als Einstieg in den Tag.",
                "Der Austausch mit Kolleg*innen, die ich sonst nie treffen würde.",
            ],
            "improve": [
                "Mehr Zeit für Absprachen mit den Teilnehmer*innen aus der eigenen Region.",
                "Mehr zur Situation von Jungen.",
                "Eine Liste der Ansprechpartner*innen nach Bundesländern zum Mitnehmen.",
            ],
            "topics": [
                "Zuständigkeiten bei unbegleiteten Minderjährigen zwischen Jugendamt und Fachberatung.",
                "Vormundschaft und Menschenhandel.",
                "Regionale Vernetzung mit den Jugendämtern.",
            ],
        },
    ),
    "regionaler-praxisfachtag-hamburg-2017": Profile(
        rate=0.67,
        means={
            "overall": 4.4,
            "exchange": 4.9,
            "inputs": 3.9,
            "case_work": 4.3,
            "organisation": 4.3,
            "format": 4.5,
            "contacts": 4.7,
        },
        regional_yes=0.86,
        texts={
            "helped": [
                "Die Sonderbeauftragten aus der eigenen Region persönlich kennenzulernen.",
                "Regional ist viel konkreter als bundesweit: Wir arbeiten ja mit genau diesen Menschen zusammen.",
                "Zu erfahren, wie eine Anhörung abläuft und wo wir als Beratungsstelle unterstützen können.",
            ],
            "improve": [
                "Mehr Zeit für die Diskussion am Nachmittag.",
                "Die Vorstellungsrunde war bei der Gruppengröße zu lang.",
            ],
            "topics": ["Ein Folgetreffen in einem Jahr.", "Zusammenarbeit mit der Polizei."],
        },
    ),
    "regionaler-praxisfachtag-berlin-2017": Profile(
        rate=0.68,
        means={
            "overall": 4.3,
            "exchange": 4.8,
            "inputs": 4.1,
            "case_work": 4.2,
            "organisation": 4.2,
            "format": 4.4,
            "contacts": 4.6,
        },
        regional_yes=0.85,
        texts={
            "helped": [
                "Die Fallbeispiele aus unserer Region, an denen wir gemeinsam gearbeitet haben.",
                "Endlich ein Gesicht zu den Namen in der Außenstelle.",
                "Der persönliche Austausch in kleiner Runde.",
            ],
            "improve": [
                "Ein kurzes Protokoll mit den Verabredungen wäre hilfreich.",
                "Der Raum war für die Gruppenarbeit etwas eng.",
            ],
            "topics": [
                "Identifizierung im Asylverfahren: Indikatoren und Vorgehen.",
                "Ein Folgetreffen mit den ostdeutschen Bundesländern.",
            ],
        },
    ),
    "kok-bamf-praxisfachtag-2019": Profile(
        rate=0.68,
        means={
            "overall": 4.4,
            "exchange": 4.9,
            "inputs": 4.2,
            "case_work": 4.3,
            "organisation": 4.3,
            "format": 4.4,
            "contacts": 4.6,
        },
        regional_yes=0.82,
        texts={
            "helped": [
                "Die Inputs zu den Mandaten: Jetzt verstehe ich, was die Sonderbeauftragten tun können und was nicht.",
                "Das Beispiel guter Kooperation von Fachberatungsstelle und Sonderbeauftragtem.",
                "Die gemischten Arbeitsgruppen an den Fallbeispielen.",
                "Der persönliche Kontakt: Ich weiß jetzt, wen ich in der Außenstelle anrufen kann.",
                "Die offene, kollegiale Atmosphäre.",
            ],
            "improve": [
                "Mehr Zeit für den Austausch in den Arbeitsgruppen.",
                "Die Absprachen für die Regionen kamen am Ende zu kurz.",
                "Fallbeispiele vorab verschicken, damit man sich einlesen kann.",
                "Die Mittagspause war zu knapp für die vielen Gespräche.",
            ],
            "topics": [
                "Regionale Treffen, damit die Absprachen nicht wieder einschlafen.",
                "Informationsweitergabe zwischen Anhörung und Beratung: Was ist datenschutzrechtlich möglich?",
                "Menschenhandel zur Arbeitsausbeutung.",
            ],
        },
    ),
    "praxisfachtag-2020-virtuell": Profile(
        rate=0.69,
        means={
            "overall": 4.2,
            "exchange": 4.8,
            "inputs": 4.0,
            "case_work": 3.9,
            "organisation": 4.3,
            "format": 3.4,
            "contacts": 3.9,
        },
        regional_yes=0.92,
        texts={
            "helped": [
                "Der Austausch mit den Sonderbeauftragten: Auch virtuell merkt man, wie viel wir voneinander lernen.",
                "Das Best-Practice-Beispiel aus Bremen, sehr konkret und übertragbar.",
                "Zu hören, wie andere Beratungsstellen mit den Einschränkungen der Pandemie umgehen.",
                "In der Kleingruppe haben wir gesehen, an welchen Stellen Informationen verloren gehen.",
                "Ansprechpartner*innen aus meiner Region kennenzulernen, die ich bisher nur vom Telefon kannte.",
                "Die kollegiale Atmosphäre, trotz Bildschirm.",
            ],
            "improve": [
                "Virtuell fehlen die Gespräche in den Pausen, genau dort entstehen sonst die Kontakte.",
                "Mehr Zeit für die Kleingruppen, weniger Plenum.",
                "Die Anleitung für das Videotool früher verschicken.",
                "Kürzere Blöcke am Bildschirm, öfter kurze Pausen.",
                "Gern wieder in Präsenz, sobald es möglich ist.",
            ],
            "topics": [
                "Regelmäßige regionale Treffen mit den Sonderbeauftragten in unserem Bundesland.",
                "Identifizierung von Betroffenen im Dublin-Verfahren.",
                "Arbeitsausbeutung: Erfahrungen aus Beratung und Anhörung.",
                "Betroffene Minderjährige und die Zusammenarbeit mit den Jugendämtern.",
            ],
        },
    ),
}
# How often someone writes something into each free-text field.
TEXT_SHARE = {"helped": 0.6, "improve": 0.45, "topics": 0.5}
# Free texts per question that staff have picked for the documentation.
SELECTED_PER_QUESTION = 2


def _ratings(rng: random.Random, mean: float, n: int) -> list[int]:
    """``n`` ratings from 1 to 5 spread around ``mean``, nudged until their average is within 0.05 of it."""
    values = [min(5, max(1, round(rng.gauss(mean, 0.7)))) for _ in range(n)]
    while n and abs(sum(values) / n - mean) > 0.05:
        step = 1 if sum(values) / n < mean else -1
        candidates = [i for i, v in enumerate(values) if 1 <= v + step <= 5]
        values[rng.choice(candidates)] += step
    return values


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _seed_event(event, questionnaire, profile: Profile) -> int:
    rng = random.Random(f"feedback:{event.slug}")  # noqa: S311 - deterministic demo data, not security
    registrations = list(event.registrations.filter(status=RegistrationStatus.ATTENDED).order_by("email"))
    answering = set(rng.sample(range(len(registrations)), k=round(len(registrations) * profile.rate)))
    sent_at = timezone.make_aware(dt.datetime.combine(event.date + dt.timedelta(days=1), dt.time(10)))
    reminded_at = sent_at + dt.timedelta(days=questionnaire.reminder_after_days)
    for index, registration in enumerate(registrations):
        FeedbackInvitation.objects.get_or_create(
            registration=registration,
            defaults={
                "questionnaire": questionnaire,
                # A random token nobody knows: the demo window is closed, the links are never sent.
                "token_hash": hash_token(new_token()),
                "sent_at": sent_at,
                "reminded_at": None if index in answering and rng.random() < 0.7 else reminded_at,
                "answered": index in answering,
            },
        )
    questions = {q.key: q for q in questionnaire.questions.all()}
    remaining = {key: list(texts) for key, texts in profile.texts.items()}
    # Exactly the profile's share wishes for regional meetings, in random order.
    wishes = [index < round(len(answering) * profile.regional_yes) for index in range(len(answering))]
    rng.shuffle(wishes)
    ratings = {key: _ratings(rng, mean, len(answering)) for key, mean in profile.means.items()}
    answers = []
    for index, wish in enumerate(wishes):
        response = FeedbackResponse(
            id=_uuid(rng),
            questionnaire=questionnaire,
            submitted_on=event.date + dt.timedelta(days=rng.choice([1, 1, 2, 2, 3, 4, 6, 8, 9, 12])),
        )
        response.save(force_insert=True)
        for key, question in questions.items():
            if question.kind == K.RATING and key in profile.means:
                if question.required or rng.random() > 0.04:
                    rating = ratings[key][index]
                    answers.append(Answer(id=_uuid(rng), response=response, question=question, rating=rating))
            elif key == "regional_meetings":
                answers.append(Answer(id=_uuid(rng), response=response, question=question, yes_no=wish))
            elif question.kind == K.TEXT and remaining.get(key) and rng.random() < TEXT_SHARE.get(key, 0.5):
                text = remaining[key].pop(0)
                answers.append(Answer(id=_uuid(rng), response=response, question=question, text=text))
    Answer.objects.bulk_create(answers)
    chosen = {}
    for answer in answers:
        if answer.text and chosen.setdefault(answer.question_id, 0) < SELECTED_PER_QUESTION:
            chosen[answer.question_id] += 1
            answer.selected_for_documentation = True
    Answer.objects.bulk_update([a for a in answers if a.selected_for_documentation], ["selected_for_documentation"])
    return len(answering)


def seed_feedback(*, events: dict, today: dt.date) -> int:
    """Questionnaires for all ``events`` (slug -> Event); invitations and answers for the past ones with a
    profile. Call after the registrations are seeded. Returns the number of responses of the past events."""
    responses = 0
    for slug, event in events.items():
        questionnaire = questionnaire_ensure_default(event=event)
        profile = PROFILES.get(slug)
        if profile is None or event.date >= today:
            continue
        existing = questionnaire.responses.count()
        responses += existing if existing else _seed_event(event, questionnaire, profile)
    return responses
