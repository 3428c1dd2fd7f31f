"""Tests of ``manage.py check_case_text`` (exit codes, output format, privacy)."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PROJECT_DIR = Path(__file__).resolve().parents[2]
BLOCKED_TEXT = "Frau Okafor\nTel. 0176 5550 1234\n"
BLOCKED_OUTPUT = "0-11\tblocking\tname\tFrau Okafor\n17-31\tblocking\tphone\t0176 5550 1234\n"
CLEAN_TEXT = "Frau A., Mitte dreißig, kam im Frühjahr 2019 aus einem westafrikanischen Land.\n"


@pytest.fixture
def blocked_file(tmp_path: Path) -> Path:
    path = tmp_path / "fall.txt"
    path.write_text(BLOCKED_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def clean_file(tmp_path: Path) -> Path:
    path = tmp_path / "fall.txt"
    path.write_text(CLEAN_TEXT, encoding="utf-8")
    return path


def run_command(*args: str) -> tuple[str, CommandError | None]:
    """Run the command in-process; returns stdout and the CommandError raised, if any."""
    stdout = io.StringIO()
    try:
        call_command("check_case_text", *args, stdout=stdout, stderr=io.StringIO())
    except CommandError as error:
        return stdout.getvalue(), error
    return stdout.getvalue(), None


def run_manage(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python manage.py check_case_text`` as a user would, with test settings."""
    env = {**os.environ, "KOKPORTAL_TESTING": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "manage.py", "check_case_text", *args],
        cwd=PROJECT_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


# --- call_command ----------------------------------------------------------------------------


def test_command_clean_file_prints_nothing_and_succeeds(clean_file):
    stdout, error = run_command(str(clean_file))
    assert (stdout, error) == ("", None)


def test_command_blocked_file_prints_findings_and_fails_with_1(blocked_file):
    stdout, error = run_command(str(blocked_file))
    assert stdout == BLOCKED_OUTPUT
    assert error is not None
    assert error.returncode == 1
    assert str(error) == "Der Text enthält 2 blockierende Fundstellen."


def test_command_warning_only_succeeds_with_output(tmp_path):
    path = tmp_path / "fall.txt"
    # An adult's exact age without a place is a warning.
    path.write_text("Die 23-jährige Frau kam zur Beratung.", encoding="utf-8")
    stdout, error = run_command(str(path))
    assert error is None
    assert stdout == "4-14\twarning\tquasi_identifier\t23-jährige\n"


def test_command_excerpt_newlines_replaced_by_spaces(tmp_path):
    path = tmp_path / "fall.txt"
    path.write_text("Anschrift: Musterweg\t3,\n30159\nHannover", encoding="utf-8")
    stdout, error = run_command(str(path))
    assert error is not None
    assert stdout == "11-22\tblocking\taddress\tMusterweg 3\n24-38\tblocking\tpostcode\t30159 Hannover\n"


def test_command_missing_file_fails_with_2(tmp_path):
    stdout, error = run_command(str(tmp_path / "fehlt.txt"))
    assert stdout == ""
    assert error is not None
    assert error.returncode == 2


def test_command_directory_fails_with_2(tmp_path):
    _, error = run_command(str(tmp_path))
    assert error is not None
    assert error.returncode == 2


@pytest.mark.parametrize("args", [(), ("a.txt", "b.txt")])
def test_command_wrong_number_of_paths_fails_with_2(args):
    _, error = run_command(*args)
    assert error is not None
    assert error.returncode == 2


def test_command_invalid_utf8_fails_with_2(tmp_path):
    path = tmp_path / "fall.txt"
    path.write_bytes(b"Frau Okafor \xff\xfe")
    stdout, error = run_command(str(path))
    assert stdout == ""
    assert error is not None
    assert error.returncode == 2
    assert "Okafor" not in str(error)


def test_command_utf8_bom_is_ignored_for_offsets(tmp_path):
    path = tmp_path / "fall.txt"
    path.write_bytes("\ufeffFrau Okafor".encode())
    stdout, _ = run_command(str(path))
    assert stdout == "0-11\tblocking\tname\tFrau Okafor\n"


def test_command_reads_stdin_for_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BLOCKED_TEXT.encode())))
    stdout, error = run_command("-")
    assert stdout == BLOCKED_OUTPUT
    assert error is not None
    assert error.returncode == 1


def test_command_never_logs_text_or_excerpts(blocked_file, caplog):
    caplog.set_level(logging.DEBUG)
    run_command(str(blocked_file))
    assert "Okafor" not in caplog.text
    assert "0176" not in caplog.text


# --- manage.py as a subprocess: one smoke test of the real entry point ----------------------------------


def test_manage_py_blocked_text_from_stdin_exits_1_with_exact_output():
    """The in-process tests above cover every branch; this one shows the shell sees the same exit code."""
    result = run_manage("-", stdin=BLOCKED_TEXT.encode())
    assert result.returncode == 1
    assert result.stdout.decode() == BLOCKED_OUTPUT
    assert "2 blockierende Fundstellen" in result.stderr.decode()
