"""gunicorn's access and error log never show secret path segments (deploy/gunicorn.conf.py,
kokportal/gunicorn_logging.py): the logger is built from the real config file and fed a fake request."""

import datetime as dt
import io
import json
import runpy
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLResolver, get_resolver, reverse
from gunicorn.config import Config

from kokportal.gunicorn_logging import PrivacyLogger, mask_secrets

ROOT = Path(__file__).resolve().parent.parent
# A feedback token as secrets.token_urlsafe(32) makes them (43 characters), and an allauth password reset key.
TOKEN = "pQ7-vX2_kLmN0aB4cD6eF8gH1iJ3kL5mN7oP9qR2sT4"
RESET_UID = "2s"
RESET_KEY = "cx1q9z-6f0e1d2c3b4a5968778695a4b3c2d1e0f"
CLIENT_ADDRESS = "203.0.113.7"
# URL parameters that carry a secret; every route with one must be masked by the logger.
SECRET_PARAMETERS = {"token": TOKEN, "key": RESET_KEY, "uidb36": RESET_UID, "uidb64": "MjM", "code": "ABC123"}


@dataclass
class GunicornLog:
    logger: PrivacyLogger
    access: io.StringIO
    error: io.StringIO


@pytest.fixture
def gunicorn_log():
    """The logger gunicorn builds from deploy/gunicorn.conf.py; its own handlers write into two buffers."""
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)
    log = GunicornLog(logger, io.StringIO(), io.StringIO())
    streams = {logger.access_log: log.access, logger.error_log: log.error}
    handlers = {}
    for std_logger, buffer in streams.items():
        [handlers[std_logger]] = [h for h in std_logger.handlers if getattr(h, "_gunicorn", False)]
        handlers[std_logger].setStream(buffer)
    yield log
    for std_logger, handler in handlers.items():
        std_logger.removeHandler(handler)


def _access(logger, path: str, *, raw_uri: str | None = None, referer: str = "-") -> None:
    """One request through ``logger.access``, as gunicorn's sync worker calls it (with a query string)."""
    raw_uri = raw_uri or f"{path}?next=%2Fmeine-anmeldungen%2F"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": raw_uri.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": CLIENT_ADDRESS,
        "HTTP_REFERER": referer,
    }
    request = SimpleNamespace(headers=[("HOST", "praxisfachtag.example.org"), ("REFERER", referer)])
    response = SimpleNamespace(status="302 Found", headers=[("Location", "/rueckmeldung/danke/")], sent=0)
    logger.access(response, request, environ, dt.timedelta(milliseconds=42))


def _logged(log: GunicornLog, path: str, **kwargs) -> dict:
    _access(log.logger, path, **kwargs)
    [line] = log.access.getvalue().splitlines()
    assert CLIENT_ADDRESS not in line
    assert "next=" not in line
    return json.loads(line)


def test_gunicorn_conf_uses_the_privacy_logger(gunicorn_log):
    assert type(gunicorn_log.logger) is PrivacyLogger
    assert gunicorn_log.logger.cfg.access_log_format == (
        '{"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "duration_ms": %(M)s}'
    )


def test_access_log_masks_feedback_token(gunicorn_log):
    line = _logged(gunicorn_log, f"/rueckmeldung/{TOKEN}/")
    assert line == {"method": "POST", "path": "/rueckmeldung/***/", "status": 302, "duration_ms": 42}


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/konto/password/reset/key/{RESET_UID}-{RESET_KEY}/", "/konto/password/reset/key/***/"),
        (f"/konto/password/reset/key/{RESET_UID}-set-password/", "/konto/password/reset/key/***/"),
        ("/konto/password/reset/key/done/", "/konto/password/reset/key/done/"),
        (f"/konto/confirm-email/{RESET_KEY}/", "/konto/confirm-email/***/"),
        (f"/rueckmeldung/{TOKEN}", "/rueckmeldung/***"),
        ("/rueckmeldung/danke/", "/rueckmeldung/danke/"),
        (f"/referierende/{TOKEN}/", "/referierende/***/"),
        ("/rueckmeldung/auswertung/praxisfachtag-berlin-2019/", "/rueckmeldung/auswertung/praxisfachtag-berlin-2019/"),
        ("/praxisfachtage/praxisfachtag-berlin-2019/anmelden/", "/praxisfachtage/praxisfachtag-berlin-2019/anmelden/"),
    ],
)
def test_access_log_masks_secret_segments_only(gunicorn_log, path, logged):
    assert _logged(gunicorn_log, path)["path"] == logged


def test_no_logged_value_carries_the_token(gunicorn_log):
    """Request line, raw URI, Referer (the thanks page is reached from the feedback link): all masked, also
    percent-encoded, in every atom a changed access_log_format could use."""
    feedback_url = f"https://praxisfachtag.example.org/rueckmeldung/{TOKEN}/"
    gunicorn_log.logger.cfg.set(
        "access_log_format", "%(r)s %(U)s %(f)s %({referer}i)s %({raw_uri}e)s %({path_info}e)s %({http_referer}e)s"
    )
    _access(
        gunicorn_log.logger,
        f"/rueckmeldung/{TOKEN}/",
        raw_uri="/rueckmeldung/" + TOKEN.replace("-", "%2D") + "/",
        referer=feedback_url,
    )
    line = gunicorn_log.access.getvalue()
    assert TOKEN not in line
    assert TOKEN.replace("-", "%2D") not in line
    assert line.split() == [
        "POST",
        "/rueckmeldung/***/",
        "HTTP/1.1",
        "/rueckmeldung/***/",
        "https://praxisfachtag.example.org/rueckmeldung/***/",
        "https://praxisfachtag.example.org/rueckmeldung/***/",
        "/rueckmeldung/***/",
        "/rueckmeldung/***/",
        "https://praxisfachtag.example.org/rueckmeldung/***/",
    ]


def test_access_line_stays_json_whatever_the_path(gunicorn_log):
    path = '/suche/"zitat"\\pfad\n\u00e4/'
    assert _logged(gunicorn_log, path)["path"] == path


def test_error_log_masks_the_uri(gunicorn_log):
    try:
        raise RuntimeError("worker failed")
    except RuntimeError:
        gunicorn_log.logger.exception("Error handling request %s", f"/rueckmeldung/{TOKEN}/?next=/")
    err = gunicorn_log.error.getvalue()
    assert "Error handling request /rueckmeldung/***/?next=/" in err
    assert TOKEN not in err


def _secret_routes(resolver: URLResolver, namespace: str = "") -> dict[str, set[str]]:
    """Every named route of the URL conf with a secret parameter: name -> the secret parameter names."""
    routes: dict[str, set[str]] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes.update(_secret_routes(pattern, inner))
            continue
        secret = set(pattern.pattern.regex.groupindex) & set(SECRET_PARAMETERS)
        if secret and pattern.name:
            routes[namespace + pattern.name] = secret
    return routes


def test_every_secret_route_of_the_url_conf_is_masked():
    """A new URL with a token or key fails here until gunicorn_logging.SECRET_PATH_SEGMENTS masks it too."""
    routes = _secret_routes(get_resolver())
    assert routes == {
        "feedback:answer": {"token"},
        "account_reset_password_from_key": {"key", "uidb36"},
        "participants:certificate_verify": {"code"},
        "participants:check_in_link": {"token"},
        "participants:invitation_open": {"token"},
        "participants:invitation_unsubscribe": {"token"},
        "events:speaker_invitation": {"token"},
    }
    other = {"participants:check_in_link": {"slug": "praxisfachtag-berlin"}}  # parameters that are no secret
    masked = {
        name: mask_secrets(
            reverse(name, kwargs={**{p: SECRET_PARAMETERS[p] for p in parameters}, **other.get(name, {})})
        )
        for name, parameters in routes.items()
    }
    assert masked == {
        "feedback:answer": "/rueckmeldung/***/",
        "account_reset_password_from_key": "/konto/password/reset/key/***/",
        "participants:certificate_verify": "/bescheinigung/***/",
        "participants:check_in_link": "/praxisfachtage/praxisfachtag-berlin/check-in/k/***/",
        "participants:invitation_open": "/einladung/***/",
        "participants:invitation_unsubscribe": "/einladung/***/abbestellen/",
        "events:speaker_invitation": "/referierende/***/",
    }
