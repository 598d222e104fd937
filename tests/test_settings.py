"""Settings come from the environment; a bad value stops the start with a message naming it.

Each case runs in a fresh interpreter, because Django reads its settings once per process.
"""
import json
import os
import subprocess
import sys

PRINT_SETTINGS = (
    "import django, json; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'host': db.get('HOST'),"
    " 'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, 'tz': settings.TIME_ZONE,"
    " 'lang': settings.LANGUAGE_CODE, 'media': str(settings.MEDIA_ROOT)}))"
)


def settings_under(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ALUR_")}
    clean.update({"DJANGO_SETTINGS_MODULE": "alur.settings", "ALUR_VAR_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-c", PRINT_SETTINGS], env=clean, capture_output=True, text=True, cwd=tmp_path)


def test_default_database_is_an_sqlite_file_under_the_var_folder(tmp_path):
    result = settings_under(tmp_path)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert (seen["engine"], seen["name"]) == ("django.db.backends.sqlite3", str(tmp_path / "alur.sqlite3"))
    assert seen["media"] == str(tmp_path / "media")


def test_time_zone_is_wib_and_language_indonesian(tmp_path):
    seen = json.loads(settings_under(tmp_path).stdout)

    assert (seen["tz"], seen["lang"]) == ("Asia/Jakarta", "id")


def test_database_url_selects_postgresql(tmp_path):
    result = settings_under(tmp_path, ALUR_DATABASE_URL="postgres://alur:rahasia@db.internal:5433/alur")

    seen = json.loads(result.stdout)
    assert (seen["engine"], seen["name"], seen["host"]) == ("django.db.backends.postgresql", "alur", "db.internal")


def test_debug_is_off_and_hosts_are_taken_from_the_environment(tmp_path):
    result = settings_under(tmp_path, ALUR_SECRET_KEY="k" * 50, ALUR_DEBUG="0", ALUR_ALLOWED_HOSTS="alur.babelprov.go.id, localhost")

    seen = json.loads(result.stdout)
    assert (seen["debug"], seen["hosts"]) == (False, ["alur.babelprov.go.id", "localhost"])


def test_debug_off_without_a_secret_key_is_refused_by_name(tmp_path):
    result = settings_under(tmp_path, ALUR_DEBUG="0")

    assert result.returncode != 0
    assert "ALUR_SECRET_KEY harus diisi" in result.stderr


def test_an_unreadable_database_url_is_refused_by_name(tmp_path):
    result = settings_under(tmp_path, ALUR_DATABASE_URL="mongodb://somewhere/alur")

    assert result.returncode != 0
    assert "ALUR_DATABASE_URL tidak dapat dibaca" in result.stderr
