"""Second generation of the review around the anonymisation check (issue points 4 and 5).

4. Hard identifiers (numbers, contacts, addresses, exact dates) can only be removed, never dismissed; softer
   findings are dismissed by the second person only with a reason of at least one full sentence, kept with who
   and when; warnings need no reason.
5. The author gets help: "Übernehmen" / "Entfernen" replace exactly one passage (server-side), a confirmation
   step before submitting a text with blocking findings, and the reviewer can send a case back with a comment.

The check itself is replaced by a stand-in (``use_check``) that reports given passages wherever they occur, so
these tests do not depend on what the real check detects or suggests.
"""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from casework import anonymisation, errors, selectors, services
from casework.anonymisation import Category, Finding, Severity
from casework.enums import CaseStatus
from casework.forms import ApprovalForm
from casework.models import CaseExample, CaseExampleReturn, FindingDismissal
from tests.auth import login
from tests.casework.factories import CLEAN_TEXT, CaseExampleFactory, WorkshopFactory, approval_post
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

B, W = Severity.BLOCKING, Severity.WARNING
SENTENCE = "Der Name gehört zur Beraterin und ist frei erfunden."
HARD_REFUSED = (
    "Telefonnummern, E-Mail- und Internetadressen, Konten, Anschriften, Postleitzahlen, genaue Daten, "
    "Aktenzeichen, Ausweisnummern und Kfz-Kennzeichen lassen sich nicht als Fehlalarm begründen. Solche "
    "Stellen müssen aus dem Text entfernt werden."
)
NOT_A_SENTENCE = (
    "Bitte begründen Sie in mindestens einem vollständigen Satz (mindestens 6 Wörter und 30 Zeichen, am "
    "Ende ein Punkt, Ausrufe- oder Fragezeichen), warum die Stelle Betroffene nicht erkennbar macht."
)
HARD_REMAINING = (
    "Der Text enthält noch Stellen wie Telefonnummern, Anschriften oder genaue Daten. Sie lassen sich nicht "
    "als Fehlalarm begründen: Ändern Sie den Text oder geben Sie das Fallbeispiel zur Überarbeitung zurück."
)
FINDING_CHANGED = (
    "Diese Stelle steht nicht mehr so im Text, vermutlich wurde er inzwischen geändert. Der Text ist "
    "unverändert geblieben; bitte prüfen Sie ihn erneut."
)
AUTHOR_MAY_NOT_RETURN = (
    "Wer ein Fallbeispiel verfasst hat, kann es nicht selbst zur Überarbeitung zurückgeben. "
    "Das übernimmt eine zweite Person."
)
COMMENT_REQUIRED = "Bitte schreiben Sie dazu, was am Fallbeispiel überarbeitet werden soll."

NAME_TEXT = "Frau Gabriele Müller kam über eine Freundin in die Beratung. Später traf Gabriele Müller die Polizei."
PHONE_TEXT = CLEAN_TEXT + " Die Beraterin Rose Weber erreichte sie unter 0176 12345678."


def fake_check(*rules):
    """A stand-in for ``check_text``: each rule (excerpt, category, severity, suggestion) is reported wherever
    the excerpt occurs in the text."""

    def check(text):
        found = []
        for excerpt, category, severity, suggestion in rules:
            start = text.find(excerpt)
            while start != -1:
                found.append(
                    Finding(
                        category=category,
                        start=start,
                        end=start + len(excerpt),
                        excerpt=excerpt,
                        severity=severity,
                        suggestion=suggestion,
                    )
                )
                start = text.find(excerpt, start + len(excerpt))
        return sorted(found, key=lambda f: f.start)

    return check


@pytest.fixture
def use_check(monkeypatch):
    def use(*rules):
        monkeypatch.setattr(anonymisation, "check_text", fake_check(*rules))

    return use


@pytest.fixture
def name_and_phone(use_check):
    use_check(("Rose Weber", Category.NAME, B, "Frau W."), ("0176 12345678", Category.PHONE, B, ""))


@pytest.fixture
def reviewer():
    return StaffFactory(first_name="Renate", last_name="Prüfer", is_superuser=True)


@pytest.fixture
def author():
    return UserFactory(first_name="Aylin", last_name="Autorin", email="aylin.autorin@example.org")


def _key(case, excerpt):
    return next(services.finding_key(f) for f in anonymisation.check_text(case.text) if f.excerpt == excerpt)


def _when(value) -> str:
    with translation.override("de"):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")


# --- 4. no override for hard identifiers ---------------------------------------------------------------------


def test_service_refuses_a_reason_for_a_hard_finding(name_and_phone, reviewer):
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)
    reasons = {
        _key(case, "Rose Weber"): SENTENCE,
        _key(case, "0176 12345678"): "Das ist die Nummer der Beratungsstelle und darum unbedenklich.",
    }

    with pytest.raises(errors.HardFindingNotDismissable) as refused:
        services.case_example_approve(case=case, by=reviewer, reasons=reasons)

    assert str(refused.value.message) == HARD_REFUSED
    case.refresh_from_db()
    assert (case.status, FindingDismissal.objects.count()) == (CaseStatus.IN_REVIEW, 0)


def test_hard_finding_blocks_approval_even_with_every_soft_finding_justified(name_and_phone, reviewer):
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)

    with pytest.raises(errors.BlockingFindings) as blocked:
        services.case_example_approve(case=case, by=reviewer, reasons={_key(case, "Rose Weber"): SENTENCE})

    assert [f.excerpt for f in blocked.value.findings] == ["0176 12345678"]
    assert str(blocked.value.message) == HARD_REMAINING
    assert FindingDismissal.objects.count() == 0


def test_a_recorded_dismissal_of_a_hard_finding_does_not_count(name_and_phone, reviewer):
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)
    category, start, end = _key(case, "0176 12345678")
    FindingDismissal.objects.create(
        case=case,
        text_hash=services.text_hash(case.text),
        category=category,
        start=start,
        end=end,
        reason="Aus der Zeit vor der zweiten Generation der Prüfung.",
        decided_by=reviewer,
    )

    assert [f.excerpt for f in services.open_blocking_findings(case)] == ["Rose Weber", "0176 12345678"]


@pytest.mark.parametrize(
    "reason",
    [
        "x",
        "ok",
        "Name erfunden.",  # too short
        "Pseudonym, frei erfunden, unbedenklich.",  # four words
        "Der Name der Beraterin ist frei erfunden",  # no full stop
    ],
)
def test_soft_finding_needs_a_full_sentence(use_check, reviewer, reason):
    use_check(("Rose Weber", Category.NAME, B, ""))
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)

    with pytest.raises(errors.ReasonNotASentence) as refused:
        services.case_example_approve(case=case, by=reviewer, reasons={_key(case, "Rose Weber"): reason})

    assert str(refused.value.message) == NOT_A_SENTENCE
    case.refresh_from_db()
    assert (case.status, FindingDismissal.objects.count()) == (CaseStatus.IN_REVIEW, 0)


def test_soft_finding_dismissed_with_a_sentence_is_recorded_with_who_and_when(use_check, reviewer):
    use_check(("Rose Weber", Category.NAME, B, "Frau W."))
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)
    key = _key(case, "Rose Weber")
    before = timezone.now()

    services.case_example_approve(case=case, by=reviewer, reasons={key: f"  {SENTENCE}  "})

    case.refresh_from_db()
    assert (case.status, case.approved_by) == (CaseStatus.APPROVED, reviewer)
    dismissal = FindingDismissal.objects.get()
    assert (dismissal.category, dismissal.start, dismissal.end) == key
    assert (dismissal.reason, dismissal.decided_by, dismissal.text_hash) == (
        SENTENCE,
        reviewer,
        services.text_hash(PHONE_TEXT),
    )
    assert before <= dismissal.created <= timezone.now()


def test_warnings_need_no_reason(use_check, reviewer):
    use_check(("Rose Weber", Category.NAME, W, ""), ("0176 12345678", Category.PHONE, W, ""))
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)

    services.case_example_approve(case=case, by=reviewer)

    case.refresh_from_db()
    assert (case.status, FindingDismissal.objects.count()) == (CaseStatus.APPROVED, 0)


def test_admin_review_page_offers_no_reason_field_for_a_hard_finding(name_and_phone, client, reviewer):
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)
    login(client, reviewer)
    url = reverse("admin:casework_caseexample_approve", args=[case.pk])

    page = client.get(url)

    assert page.status_code == 200
    [name_finding, phone_finding] = anonymisation.check_text(case.text)
    assert list(page.context["form"].fields) == ["reviewed", ApprovalForm.reason_name(name_finding)]
    assert "Begründung, warum „Rose Weber“ unbedenklich ist" in page.text
    assert f'name="{ApprovalForm.reason_name(phone_finding)}"' not in page.text
    assert (
        "<strong>Telefonnummer: „0176 12345678“</strong> – lässt sich nicht als Fehlalarm begründen; bitte aus dem "
        "Text entfernen (Text bearbeiten oder zur Überarbeitung zurückgeben)." in page.text
    )

    posted = client.post(
        url,
        approval_post(
            case, {"Rose Weber": SENTENCE, "0176 12345678": "Das ist die Nummer der Beratungsstelle, kein Risiko."}
        ),
    )

    assert posted.status_code == 200
    assert posted.context["form"].non_field_errors() == [HARD_REFUSED]
    case.refresh_from_db()
    assert (case.status, FindingDismissal.objects.count()) == (CaseStatus.IN_REVIEW, 0)


def test_admin_refuses_x_and_records_a_sentence_with_who_and_when(use_check, client, reviewer):
    use_check(("Rose Weber", Category.NAME, B, ""))
    case = CaseExampleFactory(text=PHONE_TEXT, status=CaseStatus.IN_REVIEW)
    login(client, reviewer)
    url = reverse("admin:casework_caseexample_approve", args=[case.pk])

    refused = client.post(url, approval_post(case, {"Rose Weber": "x"}))

    assert refused.status_code == 200
    [finding] = anonymisation.check_text(case.text)
    assert refused.context["form"].errors == {ApprovalForm.reason_name(finding): [NOT_A_SENTENCE]}
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW

    approved = client.post(url, approval_post(case, {"Rose Weber": SENTENCE}))

    assert approved.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    dismissal = FindingDismissal.objects.get()
    assert (dismissal.reason, dismissal.decided_by) == (SENTENCE, reviewer)
    review_page = client.get(url)
    assert f"„Rose Weber“ (Personenname): {SENTENCE} – Renate Prüfer, {_when(dismissal.created)}" in review_page.text
    change_page = client.get(reverse("admin:casework_caseexample_change", args=[case.pk]))
    assert (
        f"<li>{_when(dismissal.created)}, Renate Prüfer: „Rose Weber“ (Personenname) als unbedenklich begründet: "
        f"{SENTENCE}</li>" in change_page.text
    )


# --- 5. help the author: apply a suggestion, remove a passage ------------------------------------------------


@pytest.fixture
def draft(author):
    case = CaseExampleFactory(author=author, text=NAME_TEXT, title="Fall aus der Gastronomie")
    case.workshop.facilitators.add(author)
    return case


def _apply(client, case, *, index, text, start, end, excerpt, suggestion):
    return client.post(
        reverse("casework:case_edit", kwargs={"pk": case.pk}),
        {
            "title": case.title,
            "text": text,
            "apply": str(index),
            f"finding-{index}-start": str(start),
            f"finding-{index}-end": str(end),
            f"finding-{index}-excerpt": excerpt,
            f"finding-{index}-suggestion": suggestion,
        },
    )


def test_check_lists_each_finding_with_its_suggestion_or_removal(use_check, client, draft, author):
    use_check(("Gabriele Müller", Category.NAME, B, "Frau G."), ("Polizei", Category.INSTITUTION, W, ""))
    login(client, author)

    page = client.post(
        reverse("casework:case_edit", kwargs={"pk": draft.pk}),
        {"title": draft.title, "text": NAME_TEXT, "action": "check"},
    )

    assert page.status_code == 200
    assert [(f.excerpt, f.start) for f in page.context["findings"]] == [
        ("Gabriele Müller", 5),
        ("Gabriele Müller", 73),
        ("Polizei", 93),
    ]
    assert (
        '<input type="hidden" name="finding-1-start" value="73">\n'
        '              <input type="hidden" name="finding-1-end" value="88">\n'
        '              <input type="hidden" name="finding-1-excerpt" value="Gabriele Müller">\n'
        '              <input type="hidden" name="finding-1-suggestion" value="Frau G.">\n'
        '              <button type="submit" name="apply" value="1" class="btn btn-sm btn-outline-primary" '
        'aria-describedby="finding-1-desc">Übernehmen</button>' in page.text
    )
    assert 'aria-describedby="finding-2-desc">Entfernen</button>' in page.text
    assert "Vorschlag: „Frau G.“" in page.text


def test_edit_page_lists_the_stored_texts_findings_as_the_browser_posts_the_text_back(use_check, client, draft, author):
    use_check(("Gabriele Müller", Category.NAME, B, "G."))
    draft.text = "Vorbemerkung.\r\nFrau Gabriele Müller kam in die Beratung."  # saved with CR LF, e.g. in the admin
    draft.save()
    login(client, author)

    page = client.get(reverse("casework:case_edit", kwargs={"pk": draft.pk}))

    assert [(f.excerpt, f.start) for f in page.context["findings"]] == [("Gabriele Müller", 19)]
    assert 'aria-describedby="finding-0-desc">Übernehmen</button>' in page.text
    applied = _apply(
        client, draft, index=0, text=draft.text, start=19, end=34, excerpt="Gabriele Müller", suggestion="G."
    )
    assert applied.context["form"].initial["text"] == "Vorbemerkung.\nFrau G. kam in die Beratung."


def test_apply_replaces_exactly_that_passage_and_saves_nothing(use_check, client, draft, author):
    use_check(("Gabriele Müller", Category.NAME, B, "Frau G."))
    login(client, author)

    page = _apply(
        client, draft, index=1, text=NAME_TEXT, start=73, end=88, excerpt="Gabriele Müller", suggestion="Frau G."
    )

    assert page.status_code == 200
    expected = "Frau Gabriele Müller kam über eine Freundin in die Beratung. Später traf Frau G. die Polizei."
    assert page.context["form"].initial["text"] == expected
    assert page.context["form"].initial["title"] == draft.title
    assert [(f.excerpt, f.start) for f in page.context["findings"]] == [("Gabriele Müller", 5)]
    assert "Die Stelle ist ersetzt. Der Text ist noch nicht gespeichert" in page.text
    draft.refresh_from_db()
    assert draft.text == NAME_TEXT


def test_apply_with_a_stale_position_is_refused_and_keeps_the_text(use_check, client, draft, author):
    use_check(("Gabriele Müller", Category.NAME, B, "Frau G."))
    login(client, author)
    edited = "Inzwischen ergänzt: " + NAME_TEXT  # the author typed in front of the passage after the check

    page = _apply(client, draft, index=0, text=edited, start=5, end=20, excerpt="Gabriele Müller", suggestion="Frau G.")

    assert page.status_code == 200
    assert page.context["form"].initial["text"] == edited
    assert FINDING_CHANGED in page.text
    assert [f.start for f in page.context["findings"]] == [25, 93]
    draft.refresh_from_db()
    assert draft.text == NAME_TEXT


def test_service_applies_only_where_the_excerpt_still_stands():
    text = "Herr K. aus Köln traf Herrn K. in Köln."

    assert (
        services.case_text_apply_suggestion(text=text, start=34, end=38, excerpt="Köln", suggestion="einer Großstadt")
        == "Herr K. aus Köln traf Herrn K. in einer Großstadt."
    )
    for start, end in ((33, 37), (34, 60), (38, 34)):
        with pytest.raises(errors.FindingChanged):
            services.case_text_apply_suggestion(text=text, start=start, end=end, excerpt="Köln", suggestion="x")


def test_remove_a_finding_without_suggestion(use_check, client, draft, author):
    use_check(("Polizei", Category.INSTITUTION, W, ""))
    login(client, author)

    page = _apply(client, draft, index=0, text=NAME_TEXT, start=93, end=100, excerpt="Polizei", suggestion="")

    assert page.context["form"].initial["text"] == (
        "Frau Gabriele Müller kam über eine Freundin in die Beratung. Später traf Gabriele Müller die […]."
    )
    assert page.context["findings"] == []


# --- 5. confirmation before submitting a text with blocking findings ----------------------------------------


def test_submit_with_blocking_findings_asks_for_confirmation(use_check, client, draft, author):
    use_check(("Gabriele Müller", Category.NAME, B, "Frau G."), ("Polizei", Category.INSTITUTION, W, ""))
    login(client, author)
    url = reverse("casework:case_edit", kwargs={"pk": draft.pk})
    changed = NAME_TEXT + " Sie ist jetzt in Sicherheit."

    confirm = client.post(url, {"title": draft.title, "text": changed, "action": "submit"})

    assert confirm.status_code == 200
    assert [t.name for t in confirm.templates][0] == "casework/case_submit_confirm.html"
    assert "Der Text enthält noch 2 Stellen, die Betroffene erkennbar machen können." in confirm.text
    assert [f.excerpt for f in confirm.context["blocking"]] == ["Gabriele Müller", "Gabriele Müller"]
    assert '<button type="submit" name="action" value="check" class="btn btn-primary">Zurück zum Text</button>' in (
        confirm.text
    )
    assert (
        '<button type="submit" name="action" value="submit_confirmed" class="btn btn-outline-danger">'
        "Trotzdem einreichen</button>" in confirm.text
    )
    draft.refresh_from_db()
    assert (draft.status, draft.text) == (CaseStatus.DRAFT, NAME_TEXT)

    back = client.post(url, {"title": draft.title, "text": changed, "action": "check"})

    assert [t.name for t in back.templates][0] == "casework/case_form.html"
    assert back.context["form"]["text"].value() == changed
    draft.refresh_from_db()
    assert draft.status == CaseStatus.DRAFT

    submitted = client.post(url, {"title": draft.title, "text": changed, "action": "submit_confirmed"})

    assert submitted.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.text) == (CaseStatus.IN_REVIEW, changed)


def test_submit_without_blocking_findings_submits_directly(use_check, client, author):
    use_check(("Polizei", Category.INSTITUTION, W, ""))
    workshop = WorkshopFactory()
    workshop.facilitators.add(author)
    login(client, author)

    response = client.post(
        reverse("casework:case_create", kwargs={"workshop_pk": workshop.pk}),
        {"title": "Fall 1", "text": NAME_TEXT, "action": "submit"},
    )

    case = CaseExample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.status, case.text) == (CaseStatus.IN_REVIEW, NAME_TEXT)


def test_new_case_with_blocking_findings_is_not_created_before_confirmation(use_check, client, author):
    use_check(("Gabriele Müller", Category.NAME, B, ""))
    workshop = WorkshopFactory()
    workshop.facilitators.add(author)
    login(client, author)
    url = reverse("casework:case_create", kwargs={"workshop_pk": workshop.pk})

    confirm = client.post(url, {"title": "Fall 1", "text": "Frau Gabriele Müller.", "action": "submit"})

    assert "Der Text enthält noch 1 Stelle, die Betroffene erkennbar machen kann." in confirm.text
    assert CaseExample.objects.count() == 0
    client.post(url, {"title": "Fall 1", "text": "Frau Gabriele Müller.", "action": "submit_confirmed"})
    assert CaseExample.objects.get().status == CaseStatus.IN_REVIEW


# --- 5. sending a case back for revision ---------------------------------------------------------------------


@pytest.fixture
def in_review(draft):
    draft.status = CaseStatus.IN_REVIEW
    draft.submitted_at = timezone.now()
    draft.save()
    return draft


def test_return_with_comment_sets_draft_and_mails_the_author_without_the_text(
    in_review, reviewer, author, django_capture_on_commit_callbacks
):
    comment = "Bitte den Namen der Klientin durch ein Kürzel ersetzen."
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        note = services.case_example_return(case=in_review, by=reviewer, comment=f"  {comment}\r\n")

    in_review.refresh_from_db()
    assert (in_review.status, in_review.submitted_at) == (CaseStatus.DRAFT, None)
    assert (note.case, note.comment, note.returned_by) == (in_review, comment, reviewer)
    assert before <= note.created <= timezone.now()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aylin.autorin@example.org"]
    assert message.subject == (
        "[KOK-Praxisfachtag] Ihr Fallbeispiel ist zur Überarbeitung zurückgegeben: Fall aus der Gastronomie"
    )
    link = settings.SITE_URL + reverse("casework:case", kwargs={"pk": in_review.pk})
    html = message.alternatives[0][0]
    assert f"Zum Fallbeispiel: {link}" in message.body
    assert f'<a href="{link}"' in html
    for part in (message.body, html):
        assert "Gabriele" not in part
        assert NAME_TEXT[:40] not in part
        assert comment not in part


def test_author_sees_the_latest_comment_on_detail_and_edit_pages(in_review, reviewer, author, client):
    services.case_example_return(case=in_review, by=reviewer, comment="Erste Runde: bitte kürzen.")
    services.case_example_submit(case=in_review, by=author)
    latest = services.case_example_return(case=in_review, by=reviewer, comment="Bitte den Ort allgemeiner fassen.")
    login(client, author)

    detail = client.get(reverse("casework:case", kwargs={"pk": in_review.pk}))
    edit = client.get(reverse("casework:case_edit", kwargs={"pk": in_review.pk}))

    for page in (detail, edit):
        assert page.status_code == 200
        assert f"Zur Überarbeitung zurückgegeben am {_when(latest.created)}" in page.text
        assert "<p>Bitte den Ort allgemeiner fassen.</p>" in page.text
        assert "Erste Runde" not in page.text
    assert selectors.latest_return_for(user=UserFactory(), case=in_review) is None


def test_author_cannot_send_back_their_own_case(client, django_capture_on_commit_callbacks):
    staff_author = StaffFactory(is_superuser=True)
    case = CaseExampleFactory(author=staff_author, status=CaseStatus.IN_REVIEW)

    with pytest.raises(errors.NotAllowed) as refused:
        services.case_example_return(case=case, by=staff_author, comment="Bitte überarbeiten.")
    assert str(refused.value.message) == AUTHOR_MAY_NOT_RETURN

    login(client, staff_author)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("admin:casework_caseexample_return", args=[case.pk]), {"comment": "Bitte überarbeiten."}
        )

    assert page.status_code == 200
    assert page.context["return_form"].non_field_errors() == [AUTHOR_MAY_NOT_RETURN]
    case.refresh_from_db()
    assert (case.status, CaseExampleReturn.objects.count(), len(mail.outbox)) == (CaseStatus.IN_REVIEW, 0, 0)


def test_non_staff_cannot_send_back(in_review, author, client):
    facilitator = UserFactory()
    in_review.workshop.facilitators.add(facilitator)
    for person in (facilitator, StaffFactory(mfa=False)):
        with pytest.raises(errors.NotAllowed):
            services.case_example_return(case=in_review, by=person, comment="Bitte überarbeiten.")

    login(client, facilitator)
    url = reverse("admin:casework_caseexample_return", args=[in_review.pk])
    response = client.post(url, {"comment": "Bitte überarbeiten."})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"
    in_review.refresh_from_db()
    assert (in_review.status, CaseExampleReturn.objects.count()) == (CaseStatus.IN_REVIEW, 0)


def test_return_needs_a_comment_of_limited_length_and_a_case_in_review(draft, reviewer):
    with pytest.raises(errors.InvalidCaseTransition):
        services.case_example_return(case=draft, by=reviewer, comment="Bitte überarbeiten.")
    draft.status = CaseStatus.IN_REVIEW
    draft.save()
    with pytest.raises(errors.CommentRequired) as empty:
        services.case_example_return(case=draft, by=reviewer, comment=" \n ")
    assert str(empty.value.message) == COMMENT_REQUIRED
    with pytest.raises(errors.CommentTooLong) as too_long:
        services.case_example_return(case=draft, by=reviewer, comment="a" * 2001)
    assert str(too_long.value.message) == "Der Kommentar ist zu lang: höchstens 2000 Zeichen, er hat 2001 Zeichen."
    assert CaseExampleReturn.objects.count() == 0


def test_admin_review_page_sends_back_with_comment(in_review, reviewer, client, django_capture_on_commit_callbacks):
    login(client, reviewer)
    return_url = reverse("admin:casework_caseexample_return", args=[in_review.pk])

    page = client.get(reverse("admin:casework_caseexample_approve", args=[in_review.pk]))
    assert f'<form method="post" action="{return_url}">' in page.text
    assert '<input type="submit" value="Zur Überarbeitung zurückgeben">' in page.text

    empty = client.post(return_url, {"comment": ""})
    assert empty.status_code == 200
    assert empty.context["return_form"].errors == {"comment": [COMMENT_REQUIRED]}

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(return_url, {"comment": "Bitte das Herkunftsland allgemeiner beschreiben."})

    assert sent.status_code == 302
    assert sent["Location"] == reverse("admin:casework_caseexample_change", args=[in_review.pk])
    in_review.refresh_from_db()
    note = CaseExampleReturn.objects.get()
    assert (in_review.status, note.returned_by, len(mail.outbox)) == (CaseStatus.DRAFT, reviewer, 1)
    change_page = client.get(reverse("admin:casework_caseexample_change", args=[in_review.pk]))
    assert (
        f"<li>{_when(note.created)}, Renate Prüfer: zur Überarbeitung zurückgegeben: "
        "Bitte das Herkunftsland allgemeiner beschreiben.</li>" in change_page.text
    )


def test_purge_deletes_the_return_comments(in_review, reviewer):
    import datetime as dt

    services.case_example_return(case=in_review, by=reviewer, comment="Bitte den Namen ersetzen.")
    workshop = in_review.workshop
    services.case_texts_purge(today=workshop.event.date + dt.timedelta(days=workshop.case_visible_days_after + 1))

    assert CaseExampleReturn.objects.count() == 0
