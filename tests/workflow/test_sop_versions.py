"""SOP versions: a changed definition is a new version, the same text is no change; a running
case stays on the version it started on and new cases take the newest; a malformed definition
is refused with FILE:LINE messages and nothing is stored (through load_sop and `alur sop load`)."""
from __future__ import annotations

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command

from alur.org.models import Role
from alur.sop import DefinitionError, shipped_definition_paths
from alur.workflow.models import AuditEvent, Case, Sop, SopVersion, Task
from alur.workflow.selectors import case_timeline
from alur.workflow.services import load_sop
from tests.conftest import PKS, Walker

SHIPPED = next(p for p in shipped_definition_paths() if p.name == "pks-pihak-ketiga.yaml")
V1_TEXT = SHIPPED.read_text(encoding="utf-8")


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the edit must hit exactly one place: {old!r}"
    return text.replace(old, new)


# v2 gives step 2 (tugaskan_kasubbag) 45 minutes instead of 30.
V2_SLOWER_STEP_2 = changed(V1_TEXT, "    waktu: 30 menit\n    output: Draft\n    next: perintahkan_telaah\n",
                           "    waktu: 45 menit\n    output: Draft\n    next: perintahkan_telaah\n")

# v2 puts a new step between step 1 and step 2: Pengelola records the disposition in the agenda.
V2_EXTRA_STEP = changed(
    changed(V1_TEXT, "    next: tugaskan_kasubbag\n", "    next: catat_agenda\n"),
    "  - key: tugaskan_kasubbag\n",
    "  - key: catat_agenda\n"
    "    number: 16\n"
    "    actor: pengelola\n"
    "    activity: Mencatat disposisi dalam agenda kerja sama\n"
    "    kelengkapan: [draft_pks]\n"
    "    waktu: 10 menit\n"
    "    output: Draft\n"
    "    next: tugaskan_kasubbag\n"
    "\n"
    "  - key: tugaskan_kasubbag\n",
)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the only line containing fragment."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, (fragment, lines)
    return lines[0]


# Two mistakes at once: a step's actor that is no role, and a waktu that cannot be read.
BROKEN = changed(
    changed(V1_TEXT, "    actor: kabag\n    inferred: [actor]\n    activity: Menugaskan",
            "    actor: kabagg\n    inferred: [actor]\n    activity: Menugaskan"),
    "    waktu: 15 menit\n    output: Draft\n    next: analisa_draft\n",
    "    waktu: lima belas menit\n    output: Draft\n    next: analisa_draft\n",
)
BROKEN_ACTOR_LINE = line_of(BROKEN, "actor: kabagg")
BROKEN_WAKTU_LINE = line_of(BROKEN, "waktu: lima belas menit")


def stored() -> dict:
    return {
        "sops": list(Sop.objects.order_by("key").values_list("key", "name")),
        "versions": list(SopVersion.objects.order_by("pk").values_list("pk", "version", "sha256")),
        "roles": list(Role.objects.order_by("key").values_list("key", "name")),
        "events": AuditEvent.objects.count(),
    }


def sop_cli(*args: str) -> tuple[int, str, str]:
    """Run `alur sop ARGS`: (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("sop", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def v1(demo) -> SopVersion:
    version = SopVersion.objects.get(sop__key=PKS)
    assert version.version == 1
    assert version.source_text == V1_TEXT
    return version


# --- loading -------------------------------------------------------------------------------------

def test_loading_a_changed_definition_makes_a_new_version(v1):
    version, created = load_sop(text=V2_SLOWER_STEP_2, source_name="pks-pihak-ketiga.yaml")

    assert created
    assert (version.sop.key, version.version) == (PKS, 2)
    assert version.sha256 == hashlib.sha256(V2_SLOWER_STEP_2.encode("utf-8")).hexdigest()
    assert list(SopVersion.objects.filter(sop__key=PKS).order_by("version").values_list("version", flat=True)) == [1, 2]
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.data["sop"], event.data["version"]) == ("sop.loaded", PKS, 2)


def test_loading_the_same_text_again_changes_nothing(v1):
    before = stored()

    version, created = load_sop(text=V1_TEXT, source_name="pks-pihak-ketiga.yaml")

    assert not created
    assert version.pk == v1.pk
    assert stored() == before


def test_loading_the_newest_text_again_after_a_change_changes_nothing(v1):
    load_sop(text=V2_SLOWER_STEP_2, source_name="pks-pihak-ketiga.yaml")
    before = stored()

    version, created = load_sop(text=V2_SLOWER_STEP_2, source_name="pks-pihak-ketiga.yaml")

    assert (created, version.version) == (False, 2)
    assert stored() == before


# --- running cases keep their version ------------------------------------------------------------

def test_new_cases_start_on_the_newest_version(v1, users):
    load_sop(text=V2_SLOWER_STEP_2, source_name="pks-pihak-ketiga.yaml")

    case = Walker(users).case

    assert case.sop_version.version == 2


def test_running_case_keeps_its_version_when_a_new_one_is_loaded(v1, users):
    case = Walker(users).case

    load_sop(text=V2_SLOWER_STEP_2, source_name="pks-pihak-ketiga.yaml")

    case.refresh_from_db()
    assert case.sop_version_id == v1.pk


def test_running_case_keeps_v1_time_standard_after_v2_changes_it(v1, users):
    old = Walker(users, title="PKS lama")
    load_sop(text=V2_SLOWER_STEP_2, source_name="pks-pihak-ketiga.yaml")
    new = Walker(users, title="PKS baru")

    old.step()
    new.step()

    old_step_2, new_step_2 = case_timeline(old.case)[1], case_timeline(new.case)[1]
    assert (old_step_2.task.step_key, old_step_2.standard, old_step_2.standard_minutes) == ("tugaskan_kasubbag", "30 menit", 30)
    assert (new_step_2.task.step_key, new_step_2.standard, new_step_2.standard_minutes) == ("tugaskan_kasubbag", "45 menit", 45)


def test_running_case_keeps_v1_steps_after_v2_adds_a_step(v1, users):
    old = Walker(users, title="PKS lama")
    load_sop(text=V2_EXTRA_STEP, source_name="pks-pihak-ketiga.yaml")
    new = Walker(users, title="PKS baru")

    old.step()
    new.step()

    assert (old.open_task.step_key, old.open_task.role_key) == ("tugaskan_kasubbag", "kabag")
    assert (new.open_task.step_key, new.open_task.role_key) == ("catat_agenda", "pengelola")


def test_case_started_on_v1_runs_to_its_end_on_v1_steps(v1, users):
    old = Walker(users, title="PKS lama")
    load_sop(text=V2_EXTRA_STEP, source_name="pks-pihak-ketiga.yaml")

    old.steps(6)
    old.step("setuju")
    old.step("setuju")
    old.step("setuju")
    old.steps(4)

    assert old.case.status == Case.Status.COMPLETED
    assert Task.objects.filter(case=old.case).count() == 13
    assert not Task.objects.filter(case=old.case, step_key="catat_agenda").exists()


# --- malformed definitions -----------------------------------------------------------------------

def test_malformed_definition_is_refused_with_every_problem_on_its_line(v1):
    before = stored()

    with pytest.raises(DefinitionError) as refused:
        load_sop(text=BROKEN, source_name="pks-rusak.yaml")

    problems = [(p.source, p.line) for p in refused.value.problems]
    assert problems == [("pks-rusak.yaml", BROKEN_ACTOR_LINE), ("pks-rusak.yaml", BROKEN_WAKTU_LINE)]
    text = str(refused.value)
    assert f"pks-rusak.yaml:{BROKEN_ACTOR_LINE}: langkah 'tugaskan_kasubbag': pelaksana 'kabagg' tidak ada di daftar peran" in text
    assert f"pks-rusak.yaml:{BROKEN_WAKTU_LINE}: langkah 'perintahkan_telaah': waktu 'lima belas menit' tidak dapat dibaca" in text
    assert stored() == before


def test_definition_that_is_not_yaml_is_refused_on_the_line_of_the_unclosed_bracket(v1):
    text = changed(V1_TEXT, "  kelengkapan: [draft_pks]\n  org_unit: true\n", "  kelengkapan: [draft_pks\n  org_unit: true\n")
    opened_on = text[:text.index("  kelengkapan: [draft_pks\n")].count("\n") + 1
    before = stored()

    with pytest.raises(DefinitionError) as refused:
        load_sop(text=text, source_name="pks-rusak.yaml")

    assert str(refused.value).startswith(f"pks-rusak.yaml:{opened_on}: YAML tidak dapat dibaca")
    assert stored() == before


def test_malformed_definition_of_a_new_sop_stores_no_sop(v1):
    text = changed(BROKEN, "key: pks-pihak-ketiga\n", "key: pks-baru\n")
    before = stored()

    with pytest.raises(DefinitionError):
        load_sop(text=text, source_name="pks-baru.yaml")

    assert not Sop.objects.filter(key="pks-baru").exists()
    assert stored() == before


# --- `alur sop load FILE` ------------------------------------------------------------------------

def test_cli_load_of_a_changed_file_stores_a_new_version(v1, tmp_path):
    path = tmp_path / "pks-pihak-ketiga.yaml"
    path.write_text(V2_SLOWER_STEP_2, encoding="utf-8")

    code, out, err = sop_cli("load", str(path))

    assert code == 0
    assert "SOP pks-pihak-ketiga dimuat sebagai versi 2." in out
    assert SopVersion.objects.get(sop__key=PKS, version=2).source_text == V2_SLOWER_STEP_2


def test_cli_load_of_an_unchanged_file_says_so_and_stores_nothing(v1):
    before = stored()

    code, out, _ = sop_cli("load", str(SHIPPED))

    assert code == 0
    assert "SOP pks-pihak-ketiga tidak berubah; tetap versi 1." in out
    assert stored() == before


def test_cli_load_json_reports_the_version(v1, tmp_path):
    path = tmp_path / "pks-pihak-ketiga.yaml"
    path.write_text(V2_SLOWER_STEP_2, encoding="utf-8")

    code, out, _ = sop_cli("load", str(path), "--json")

    assert code == 0
    report = json.loads(out)
    assert (report["ok"], report["key"], report["version"], report["created"]) == (True, PKS, 2, True)


def test_cli_load_refuses_a_malformed_file_with_file_line_messages(v1, tmp_path):
    path = tmp_path / "pks-rusak.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    before = stored()

    code, out, err = sop_cli("load", str(path))

    assert code == 1
    assert f"pks-rusak.yaml:{BROKEN_ACTOR_LINE}: langkah 'tugaskan_kasubbag': pelaksana 'kabagg'" in err
    assert f"pks-rusak.yaml:{BROKEN_WAKTU_LINE}: langkah 'perintahkan_telaah': waktu 'lima belas menit'" in err
    assert out == ""
    assert stored() == before


def test_cli_load_json_refuses_a_malformed_file(v1, tmp_path):
    path = tmp_path / "pks-rusak.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    before = stored()

    code, out, _ = sop_cli("load", str(path), "--json")

    assert code == 1
    report = json.loads(out)
    assert (report["ok"], report["code"]) == (False, "invalid_definition")
    assert f"pks-rusak.yaml:{BROKEN_ACTOR_LINE}:" in report["error"]
    assert f"pks-rusak.yaml:{BROKEN_WAKTU_LINE}:" in report["error"]
    assert stored() == before


def test_cli_load_of_a_missing_file_is_refused(v1, tmp_path):
    before = stored()

    code, _, err = sop_cli("load", str(tmp_path / "tidak-ada.yaml"))

    assert code == 1
    assert f"{tmp_path / 'tidak-ada.yaml'}: berkas tidak ditemukan" in err
    assert stored() == before
