"""Where e-mail goes comes from the environment: SMTP as one URL or as separate variables, files
under the var folder when nothing is set; a value that cannot be right stops the start by name.

Each case runs in a fresh interpreter, because Django reads its settings once per process.
"""
import json
import os
import subprocess
import sys

PRINT_EMAIL_SETTINGS = (
    "import django, json; from django.conf import settings as s; django.setup();"
    "print(json.dumps({'backend': s.EMAIL_BACKEND.rsplit('.', 2)[-2], 'path': str(s.EMAIL_FILE_PATH), 'host': s.EMAIL_HOST,"
    " 'port': s.EMAIL_PORT, 'user': s.EMAIL_HOST_USER, 'password': s.EMAIL_HOST_PASSWORD, 'tls': s.EMAIL_USE_TLS,"
    " 'ssl': s.EMAIL_USE_SSL, 'sender': s.DEFAULT_FROM_EMAIL, 'base': s.ALUR_BASE_URL,"
    " 'apps': 'alur.notifications' in s.INSTALLED_APPS}))"
)


def email_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ALUR_")}
    clean.update({"DJANGO_SETTINGS_MODULE": "alur.settings", "ALUR_VAR_DIR": str(tmp_path), **env})
    result = subprocess.run([sys.executable, "-c", PRINT_EMAIL_SETTINGS], env=clean, capture_output=True, text=True,
                            cwd=tmp_path)
    return result, (json.loads(result.stdout) if result.returncode == 0 else None)


def test_without_settings_email_is_written_to_files_under_the_var_folder(tmp_path):
    _, seen = email_settings(tmp_path)

    assert (seen["backend"], seen["path"]) == ("filebased", str(tmp_path / "mail"))
    assert (seen["sender"], seen["base"], seen["apps"]) == ("Alur <alur@localhost>", "http://127.0.0.1:8000", True)


def test_an_smtp_url_names_server_port_account_and_starttls(tmp_path):
    _, seen = email_settings(tmp_path, ALUR_EMAIL_URL="smtp://alur%40babelprov.go.id:r%40hasia@mail.babelprov.go.id:2525?tls=1")

    assert (seen["backend"], seen["host"], seen["port"]) == ("smtp", "mail.babelprov.go.id", 2525)
    assert (seen["user"], seen["password"], seen["tls"], seen["ssl"]) == ("alur@babelprov.go.id", "r@hasia", True, False)


def test_an_smtps_url_uses_tls_from_the_start_on_port_465(tmp_path):
    _, seen = email_settings(tmp_path, ALUR_EMAIL_URL="smtps://mail.babelprov.go.id")

    assert (seen["port"], seen["tls"], seen["ssl"]) == (465, False, True)


def test_a_file_url_writes_email_to_that_folder(tmp_path):
    _, seen = email_settings(tmp_path, ALUR_EMAIL_URL=f"file://{tmp_path / 'keluar'}")

    assert (seen["backend"], seen["path"]) == ("filebased", str(tmp_path / "keluar"))


def test_smtp_from_separate_variables(tmp_path):
    _, seen = email_settings(tmp_path, ALUR_SMTP_HOST="mail.babelprov.go.id", ALUR_SMTP_USER="alur",
                             ALUR_SMTP_PASSWORD="rahasia", ALUR_SMTP_TLS="1", ALUR_EMAIL_FROM="Alur <alur@babelprov.go.id>")

    assert (seen["backend"], seen["host"], seen["port"], seen["user"], seen["password"]) == (
        "smtp", "mail.babelprov.go.id", 587, "alur", "rahasia")
    assert (seen["tls"], seen["ssl"], seen["sender"]) == (True, False, "Alur <alur@babelprov.go.id>")


def test_smtp_without_tls_defaults_to_port_25(tmp_path):
    _, seen = email_settings(tmp_path, ALUR_SMTP_HOST="127.0.0.1")

    assert (seen["port"], seen["tls"], seen["ssl"]) == (25, False, False)


def test_the_base_url_of_links_comes_from_the_environment(tmp_path):
    _, seen = email_settings(tmp_path, ALUR_BASE_URL="https://alur.babelprov.go.id/")

    assert seen["base"] == "https://alur.babelprov.go.id"


def test_both_an_email_url_and_an_smtp_host_are_refused(tmp_path):
    result, _ = email_settings(tmp_path, ALUR_EMAIL_URL="smtp://a.example", ALUR_SMTP_HOST="b.example")

    assert result.returncode != 0
    assert "Isi ALUR_EMAIL_URL atau ALUR_SMTP_HOST, jangan keduanya." in result.stderr


def test_an_unknown_email_url_is_refused_by_name(tmp_path):
    result, _ = email_settings(tmp_path, ALUR_EMAIL_URL="pop3://mail.example")

    assert result.returncode != 0 and "ALUR_EMAIL_URL='pop3://mail.example' tidak dikenal" in result.stderr


def test_a_port_that_is_not_a_number_is_refused_by_name(tmp_path):
    result, _ = email_settings(tmp_path, ALUR_SMTP_HOST="mail.example", ALUR_SMTP_PORT="dua")

    assert result.returncode != 0 and "ALUR_SMTP_PORT: port 'dua' bukan angka." in result.stderr


def test_an_unknown_tls_mode_is_refused_by_name(tmp_path):
    result, _ = email_settings(tmp_path, ALUR_SMTP_HOST="mail.example", ALUR_SMTP_TLS="kadang")

    assert result.returncode != 0 and "ALUR_SMTP_TLS='kadang' tidak dikenal" in result.stderr


def test_a_base_url_without_a_scheme_is_refused_by_name(tmp_path):
    result, _ = email_settings(tmp_path, ALUR_BASE_URL="alur.babelprov.go.id")

    assert result.returncode != 0 and "ALUR_BASE_URL='alur.babelprov.go.id' harus alamat lengkap" in result.stderr
