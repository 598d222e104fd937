"""Django settings for Alur. Everything that differs between machines comes from the environment:

ALUR_DATABASE_URL   database URL (default: SQLite file var/alur.sqlite3); postgres://... in production
ALUR_SECRET_KEY     secret key (required when ALUR_DEBUG is off)
ALUR_DEBUG          1/true to enable debug pages (default: on only without a secret key)
ALUR_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1)
ALUR_VAR_DIR        where the SQLite file and uploaded documents live (default: ./var)
ALUR_MAX_UPLOAD_MB  largest accepted upload in megabytes (default: 20)
ALUR_LOCKOUT_ATTEMPTS / ALUR_LOCKOUT_MINUTES  failed sign-ins before a lock, and for how long (5 / 15)
ALUR_REMIND_AT      share of a step's time standard after which its holder is reminded (default: 0.75)
ALUR_ESCALATE_AFTER how many times its time standard a task may run before the role above hears of it (default: 2)
ALUR_BASE_URL       the address people open Alur at; links in e-mail start with it (default: http://127.0.0.1:8000)
ALUR_EMAIL_FROM     sender of Alur's e-mail (default: Alur <alur@localhost>)
ALUR_EMAIL_URL      where e-mail goes, as one URL: smtp://USER:PASSWORD@HOST:PORT (add ?tls=1 for STARTTLS),
                    smtps://... (TLS from the start), file:///PATH (one file per message), console:// (printed)
ALUR_SMTP_HOST / ALUR_SMTP_PORT / ALUR_SMTP_USER / ALUR_SMTP_PASSWORD / ALUR_SMTP_TLS
                    the same as separate variables (port default 25 or 587 with TLS, 465 with ssl;
                    ALUR_SMTP_TLS: 1 = STARTTLS, ssl = TLS from the start, 0 = none); set either these or ALUR_EMAIL_URL
                    Without either, e-mail is written to files under ALUR_VAR_DIR/mail (nothing leaves the machine).
ALUR_REGISTER_PATTERN     how an agreement's register number is written (default:
                    {klasifikasi}/{urut}/{jenis}/B.PEM/{bulan_romawi}/{tahun}); placeholders: klasifikasi,
                    urut (the running number per year and kind, unpadded; {urut:03} pads it to 3 digits),
                    jenis (PKS, MoU, ADD), bulan_romawi (XI), bulan (11; {bulan:02} for 05), tahun (2026);
                    urut and tahun are required, and jenis too in a pattern several kinds share.
                    Checked when Alur starts (agreements/register.py).
ALUR_REGISTER_PATTERN_PKS / ALUR_REGISTER_PATTERN_MOU / ALUR_REGISTER_PATTERN_ADDENDUM
                    one kind's own pattern, e.g. {klasifikasi}/{urut}/PKS/B.PEM/{bulan_romawi}/{tahun}
                    (default: ALUR_REGISTER_PATTERN); the kinds' numbers must never look alike.
ALUR_REGISTER_KLASIFIKASI the archive classification code put in {klasifikasi} (default: 119)
"""
import datetime
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


def _number(name: str, default: str, *, kind=int, minimum: float = 0, maximum: float | None = None):
    """A number from the environment, or a refusal that names the variable and what it holds."""
    raw = os.environ.get(name, default).strip() or default
    try:
        value = kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} bukan angka{' bulat' if kind is int else ''}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"antara {minimum} dan {maximum}" if maximum is not None else f"paling kecil {minimum}"
        raise ImproperlyConfigured(f"{name}={raw!r} di luar batas: harus {bounds}.")
    return value



def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


VAR_DIR = Path(os.environ.get("ALUR_VAR_DIR", "var")).resolve()

SECRET_KEY = os.environ.get("ALUR_SECRET_KEY", "")
DEBUG = _env_flag("ALUR_DEBUG", default=not SECRET_KEY)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("ALUR_SECRET_KEY harus diisi bila ALUR_DEBUG tidak aktif.")
    SECRET_KEY = "alur-development-only-not-secret"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALUR_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "alur.org",
    "alur.worktime",
    "alur.notifications",
    "alur.workflow",
    "alur.agreements",
    "alur.evaluation",
    "alur.web",
    "alur.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alur.web.middleware.UserLanguageMiddleware",
    "alur.web.middleware.RefusalMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
CSRF_FAILURE_VIEW = "alur.web.errors.csrf_failure"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:inbox"
LOGOUT_REDIRECT_URL = "web:login"

# Repeated failed sign-ins lock the account (by user name) for a while.
AXES_FAILURE_LIMIT = _number("ALUR_LOCKOUT_ATTEMPTS", "5", minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_number("ALUR_LOCKOUT_MINUTES", "15", minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
# axes warns when the lock ignores the client's address; here the lock is per account on purpose
# (the account is what is protected), so rotating addresses or browsers does not get around it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

ROOT_URLCONF = "alur.urls"
# The admin's "Lihat di situs" of an agreement: its page on the web, an address the agreements app
# does not know (nothing below web/ builds one).
ABSOLUTE_URL_OVERRIDES = {"agreements.agreement": lambda agreement: reverse("web:agreement", args=[agreement.pk])}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alur.web.context.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "alur.wsgi.application"


def _database_config() -> dict:
    url = os.environ.get("ALUR_DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'alur.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"ALUR_DATABASE_URL tidak dapat dibaca ({url!r}): {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of failing on a lock upgrade; NORMAL sync is safe under WAL.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Installed from the npm registry by `make` (package.json); served under /static/vendor/.
NODE_MODULES = Path(os.environ.get("ALUR_NODE_MODULES", Path(__file__).resolve().parents[2] / "node_modules"))
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
ALUR_MAX_UPLOAD_MB = _number("ALUR_MAX_UPLOAD_MB", "20", minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = (ALUR_MAX_UPLOAD_MB + 1) * 1024 * 1024

# When the worker's sweep reminds a task's holder (a share of the step's time standard, in working
# time) and when it tells the role above (a multiple of the standard).
ALUR_REMIND_AT = _number("ALUR_REMIND_AT", "0.75", kind=float, minimum=0.05, maximum=1)
ALUR_ESCALATE_AFTER = _number("ALUR_ESCALATE_AFTER", "2", kind=float, minimum=1)

# The register number of agreements (agreements/register.py checks the pattern when Alur starts).
ALUR_REGISTER_PATTERN = os.environ.get("ALUR_REGISTER_PATTERN", "").strip() or "{klasifikasi}/{urut}/{jenis}/B.PEM/{bulan_romawi}/{tahun}"
ALUR_REGISTER_KLASIFIKASI = os.environ.get("ALUR_REGISTER_KLASIFIKASI", "").strip() or "119"
# A kind's own pattern, where its numbers are written differently (empty: ALUR_REGISTER_PATTERN).
ALUR_REGISTER_PATTERN_PKS = os.environ.get("ALUR_REGISTER_PATTERN_PKS", "").strip()
ALUR_REGISTER_PATTERN_MOU = os.environ.get("ALUR_REGISTER_PATTERN_MOU", "").strip()
ALUR_REGISTER_PATTERN_ADDENDUM = os.environ.get("ALUR_REGISTER_PATTERN_ADDENDUM", "").strip()

# E-mail (the worker sends notices through it): SMTP from the environment, files by default.
ALUR_BASE_URL = os.environ.get("ALUR_BASE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
if urlsplit(ALUR_BASE_URL).scheme not in {"http", "https"} or not urlsplit(ALUR_BASE_URL).netloc:
    raise ImproperlyConfigured(f"ALUR_BASE_URL={ALUR_BASE_URL!r} harus alamat lengkap, misalnya https://alur.babelprov.go.id.")
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("ALUR_EMAIL_FROM", "").strip() or "Alur <alur@localhost>"
EMAIL_TIMEOUT = 30  # seconds; a server that stops answering must not hold the worker for ever
EMAIL_FILE_PATH = VAR_DIR / "mail"
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _smtp_port(raw: str, default: int, name: str) -> int:
    try:
        port = int(raw) if raw else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}: port {raw!r} bukan angka.") from None
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"{name}: port {port} di luar batas 1-65535.")
    return port


def _email_config() -> dict:
    url = os.environ.get("ALUR_EMAIL_URL", "").strip()
    host = os.environ.get("ALUR_SMTP_HOST", "").strip()
    if url and host:
        raise ImproperlyConfigured("Isi ALUR_EMAIL_URL atau ALUR_SMTP_HOST, jangan keduanya.")
    if url:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "console":
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if scheme == "file":
            return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                    "EMAIL_FILE_PATH": Path(unquote(parts.netloc + parts.path) or EMAIL_FILE_PATH).resolve()}
        if scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ImproperlyConfigured(
                f"ALUR_EMAIL_URL={url!r} tidak dikenal; tulis smtp://USER:SANDI@HOST:PORT, smtps://..., file:///PATH atau console://.")
        tls = (parse_qs(parts.query).get("tls") or [""])[0].strip().lower() in {"1", "true", "yes", "on", "ya"}
        ssl = scheme == "smtps"
        try:
            raw_port = str(parts.port or "")
        except ValueError:
            raise ImproperlyConfigured(f"ALUR_EMAIL_URL={url!r}: port bukan angka 1-65535.") from None
        return {"EMAIL_BACKEND": _SMTP_BACKEND, "EMAIL_HOST": parts.hostname,
                "EMAIL_PORT": _smtp_port(raw_port, 465 if ssl else 587 if tls else 25, "ALUR_EMAIL_URL"),
                "EMAIL_HOST_USER": unquote(parts.username or ""), "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
                "EMAIL_USE_TLS": tls and not ssl, "EMAIL_USE_SSL": ssl}
    if host:
        mode = os.environ.get("ALUR_SMTP_TLS", "").strip().lower()
        if mode in {"", "0", "false", "no", "off", "tidak"}:
            tls = ssl = False
        elif mode in {"1", "true", "yes", "on", "ya", "starttls"}:
            tls, ssl = True, False
        elif mode == "ssl":
            tls, ssl = False, True
        else:
            raise ImproperlyConfigured(f"ALUR_SMTP_TLS={mode!r} tidak dikenal; tulis 1 (STARTTLS), ssl, atau 0.")
        return {"EMAIL_BACKEND": _SMTP_BACKEND, "EMAIL_HOST": host,
                "EMAIL_PORT": _smtp_port(os.environ.get("ALUR_SMTP_PORT", "").strip(), 465 if ssl else 587 if tls else 25,
                                         "ALUR_SMTP_PORT"),
                "EMAIL_HOST_USER": os.environ.get("ALUR_SMTP_USER", ""),
                "EMAIL_HOST_PASSWORD": os.environ.get("ALUR_SMTP_PASSWORD", ""),
                "EMAIL_USE_TLS": tls, "EMAIL_USE_SSL": ssl}
    return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}


_EMAIL = _email_config()
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL.get("EMAIL_FILE_PATH", EMAIL_FILE_PATH)
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
