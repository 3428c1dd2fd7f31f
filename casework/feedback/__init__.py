"""Feedback after a practice day: questionnaires, personal invitation links, anonymous answers, results.

Anonymity by design (as Indico keeps it): ``FeedbackInvitation`` records who was invited and whether they
have answered; ``FeedbackResponse`` and ``Answer`` hold what was answered, with random ids, only the day of
submission and no path back to a person. The personal link carries a random token; only its SHA-256 hash is
stored, and a new token is drawn for every mail, so the raw token exists only in the mail itself.
"""
