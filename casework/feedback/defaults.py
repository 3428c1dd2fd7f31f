"""The default question set every event's questionnaire starts with; staff edit it in the admin.

The keys stay the same from event to event, so the results page can compare a question with the series'
earlier events (as long as it is worded the same: the in-person and the virtual format question share a key but
are not compared). The texts are data (German and English), not interface strings: staff may rephrase them. Each
rating question has the scale its wording asks for ("Wie hilfreich …?": gar nicht hilfreich – sehr hilfreich).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casework.feedback.enums import QuestionKind, RatingScale

K = QuestionKind
S = RatingScale


@dataclass(frozen=True)
class DefaultQuestion:
    key: str
    kind: str
    text: str
    text_en: str
    required: bool = False
    choices: list[str] = field(default_factory=list)
    scale: str = RatingScale.QUALITY


def default_questions(*, virtual: bool) -> list[DefaultQuestion]:
    if virtual:
        format_text = "Wie gut hat sich das virtuelle Format für den Austausch geeignet?"
        format_text_en = "How well did the virtual format suit the exchange?"
    else:
        format_text = "Wie gut hat sich das Präsenzformat für den Austausch geeignet?"
        format_text_en = "How well did the in-person format suit the exchange?"
    return [
        DefaultQuestion(
            "overall",
            K.RATING,
            "Wie bewerten Sie den Praxisfachtag insgesamt?",
            "How would you rate the practice day overall?",
            required=True,
        ),
        DefaultQuestion(
            "exchange",
            K.RATING,
            "Wie wertvoll waren für Sie der Austausch und die Vernetzung mit den anderen Teilnehmer*innen?",
            "How valuable were the exchange and networking with the other participants for you?",
            scale=S.VALUE,
        ),
        DefaultQuestion(
            "inputs",
            K.RATING,
            "Wie hilfreich waren die Inputs (Vorträge und Praxisbeispiele)?",
            "How helpful were the inputs (talks and practice examples)?",
            scale=S.HELPFULNESS,
        ),
        DefaultQuestion(
            "case_work",
            K.RATING,
            "Wie hilfreich war die Arbeit an den Fallbeispielen in den Kleingruppen?",
            "How helpful was the work on case examples in small groups?",
            scale=S.HELPFULNESS,
        ),
        DefaultQuestion(
            "organisation",
            K.RATING,
            "Wie zufrieden waren Sie mit der Organisation (Einladung, Ablauf, Zeitplan)?",
            "How satisfied were you with the organisation (invitation, schedule, running of the day)?",
            scale=S.SATISFACTION,
        ),
        DefaultQuestion("format", K.RATING, format_text, format_text_en, scale=S.SUITABILITY),
        DefaultQuestion(
            "contacts",
            K.RATING,
            "Die Kontakte vom Praxisfachtag erleichtern mir die Zusammenarbeit vor Ort.",
            "The contacts from the practice day make working together locally easier for me.",
            scale=S.AGREEMENT,
        ),
        DefaultQuestion(
            "regional_meetings",
            K.YES_NO,
            "Wünschen Sie sich regelmäßige regionale Vernetzungstreffen in Ihrem Bundesland?",
            "Would you like regular regional networking meetings in your federal state?",
        ),
        DefaultQuestion(
            "helped",
            K.TEXT,
            "Was war für Ihre Arbeit besonders hilfreich?",
            "What was particularly helpful for your work?",
        ),
        DefaultQuestion(
            "improve",
            K.TEXT,
            "Was sollten wir beim nächsten Mal verbessern?",
            "What should we improve next time?",
        ),
        DefaultQuestion(
            "topics",
            K.TEXT,
            "Welche Themen wünschen Sie sich für den nächsten Praxisfachtag?",
            "Which topics would you like for the next practice day?",
        ),
    ]
