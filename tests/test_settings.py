import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_check(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOKPORTAL_"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "kokportal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _run_check({"DJANGO_DEBUG": "0", "KOKPORTAL_TESTING": "0", "DJANGO_ENV_FILE": str(tmp_path / "none")})
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_secret_key(tmp_path):
    result = _run_check(
        {
            "DJANGO_DEBUG": "0",
            "KOKPORTAL_TESTING": "0",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ENV_FILE": str(tmp_path / "none"),
        }
    )
    assert result.returncode == 0, result.stderr
