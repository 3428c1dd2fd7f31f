"""Create the database named in DATABASE_URL (or .env) when it does not exist yet."""

import os
import sys
from pathlib import Path

import environ
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = environ.Env()
    if (ROOT / ".env").exists():
        environ.Env.read_env(ROOT / ".env")
    config = env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/kokportal")
    name = config["NAME"]
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
