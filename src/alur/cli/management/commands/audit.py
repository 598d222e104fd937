"""`alur audit verify`: check the hash chain of the audit trail."""
from alur.cli.base import AlurCommand
from alur.workflow.audit import verify_chain


class Command(AlurCommand):
    help = "Memeriksa jejak audit."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        return {"verify": subs.add_parser("verify", help="periksa rantai hash jejak audit (keluar 0 bila utuh, 1 bila tidak)")}

    def do_verify(self, **_):
        report = verify_chain()
        data = {"ok": report.ok, "events": report.events, "first_bad_seq": report.first_bad_seq, "problem": report.problem or None}
        if report.ok:
            self.emit(data, f"Jejak audit utuh: {report.events} peristiwa, rantai hash cocok.")
        else:
            self.refuse(f"Jejak audit RUSAK: {report.problem}.", "audit_broken", data=data)
