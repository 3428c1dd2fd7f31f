"""The development database for `make run`, `make test` and the benchmarks.

python scripts/database.py ensure   # pick the server (kokportal/localdb.py), start the embedded one if
                                    # needed, create the database when missing, say which server is used
python scripts/database.py stop     # stop the embedded server (`make db-stop`)
python scripts/database.py url      # print the URL of the server in use (libpq and django-environ syntax)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def read_dotenv() -> None:
    """Read .env like the settings do, so DATABASE_URL there wins here too."""
    import environ

    env_file = Path(os.environ.get("DJANGO_ENV_FILE", ROOT / ".env"))
    if env_file.exists():
        environ.Env.read_env(env_file)


def main(argv: list[str]) -> int:
    from kokportal import localdb

    command = argv[1] if len(argv) > 1 else "ensure"
    if command == "stop":
        stopped = localdb.stop_embedded()
        print("Stopped the embedded PostgreSQL." if stopped else "The embedded PostgreSQL is not running.")
        return 0
    read_dotenv()
    server = localdb.resolve(allow_embedded=True)
    if command == "url":
        print(server.url)
        return 0
    if command != "ensure":
        print(__doc__, file=sys.stderr)
        return 2
    config = server.django_database()
    try:
        created = localdb.create_database(config)
    except Exception as error:  # any connection problem gets the same explanation
        print(
            f"Cannot reach {server.describe()}: {error}\n"
            "Fix DATABASE_URL (in .env or the environment), or unset it to use PostgreSQL on 127.0.0.1:5432 "
            "or the embedded server.",
            file=sys.stderr,
        )
        return 1
    print(f"Database {config['NAME']!r} on {server.describe()}" + (" (created)." if created else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
