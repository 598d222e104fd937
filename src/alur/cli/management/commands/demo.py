"""`alur demo`: load the shipped SOPs, the demo units and users, and a few weeks of past cases
(idempotent)."""
import json

from alur.cli.base import AlurCommand, table
from alur.demo import demo_password, load_demo, load_demo_history, load_demo_related
from alur.workflow.models import Case


class Command(AlurCommand):
    # AlurCommand for its parser (Indonesian argument errors, exit 1); no subcommands here.
    help = ("Memuat SOP bawaan, unit organisasi, satu pengguna demo per peran dan riwayat perkara beberapa minggu "
            "terakhir (aman diulang).")
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")

    def handle(self, *args, **options):
        users = load_demo()
        history = load_demo_history()
        related = load_demo_related()
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, "password": demo_password(), "users": [u.__dict__ for u in users],
                                          "history_cases_added": history, "related_cases_added": related}, ensure_ascii=False, indent=2))
            return
        self.stdout.write("Data demo siap. Masuk sebagai salah satu pengguna berikut:")
        self.stdout.write(table(["Pengguna", "Peran", "Unit"], [[u.username, u.role, u.unit] for u in users]))
        self.stdout.write(f"Kata sandi semua pengguna demo: {demo_password()} (atur dengan ALUR_DEMO_PASSWORD sebelum dibuat)")
        if history:
            self.stdout.write(f"Riwayat demo: {history} perkara beberapa minggu terakhir ditambahkan (lihat halaman Monitoring SOP).")
        self.stdout.write("Perkara demo per SOP:")
        cases = Case.objects.select_related("sop_version__sop").order_by("sop_version__sop__name", "started_at")
        rows = [[case.pk, case.sop_version.sop.name, case.title, case.get_status_display()] for case in cases]
        self.stdout.write(table(["#", "SOP", "Perkara", "Status"], rows))
