"""`python -m alur.dbcheck URL`: exit 0 when a PostgreSQL server answers at URL, 1 otherwise.

Used by `make test` to decide whether the PostgreSQL pass of the suite can run.
"""
import sys

import dj_database_url
import psycopg


def postgres_answers(url: str) -> bool:
    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname=config["NAME"] or "postgres",
            connect_timeout=3,
        ):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    sys.exit(0 if len(sys.argv) == 2 and postgres_answers(sys.argv[1]) else 1)
