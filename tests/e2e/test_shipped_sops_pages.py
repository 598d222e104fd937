"""Each SOP that ships besides the PKS (whose pages test_pks_flow.py walks) runs its straight path
in Chromium as its people would: the intake page its definition asks for, then every step's page
by the holder of its role (documents uploaded in place, what the step records, the decision), to
the end the SOP names."""
from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from alur.workflow.definitions import definition_of
from alur.workflow.models import Case, Task
from alur.workflow.services import newest_version
from tests.workflow.test_shipped_sops import PATHS, path

TODAY = datetime.date.today()
# Who fills the intake of each SOP in this test, and the end its straight path reaches.
STARTERS = {"penawaran-kerja-sama-pihak-ketiga": "pengelola", "mou-pihak-ketiga": "pengelola",
            "surat-masuk": "agendaris", "surat-keluar": "pelaksana"}


def fill_record_fields(ui, fields, outcome: str = "") -> None:
    for field in fields:
        if not field.applies_to(outcome):
            continue
        box = ui.page.locator(f"#id_record_{field.key}")
        if field.type == "date":
            day = TODAY + datetime.timedelta(days=364) if "berakhir" in field.key else TODAY
            box.fill(day.isoformat())
        elif field.type == "choice":
            box.select_option(field.choices[0][0])
        elif field.type == "lines":
            box.fill("Dinas Pariwisata\nArsip Biro Pemerintahan")
        else:
            box.fill(f"{field.label} (uji)")


def register_case(ui, sop_key: str, title: str) -> Case:
    definition = definition_of(newest_version(sop_key))
    ui.goto("/perkara/baru/")
    page = ui.page
    choice = page.get_by_role("link", name=definition.name)
    if choice.count():
        choice.click()
    # else the one SOP the person may start: Perkara baru went straight to its intake
    expect(page.get_by_text(definition.name).first).to_be_visible()
    page.locator("#id_title").fill(title)
    if definition.intake_org_unit:
        page.locator("#id_org_unit").select_option(label="Dinas Pariwisata")
    if definition.intake_subject == "agreement":
        page.locator("#id_partner").select_option(label="PT Timah Tbk")
        page.locator("#id_object").fill("Pengembangan kawasan wisata")
        page.locator("#id_scope").fill("Promosi dan pelatihan")
        page.locator("#id_duration_months").fill("12")
        page.locator("#id_disposition_number").fill("B/77/SETDA")
        page.locator("#id_disposition_date").fill(TODAY.isoformat())
        page.locator("#id_disposition_from").select_option("sekda")
        page.locator("#id_draft").set_input_files(ui.files("draft.pdf"))
    else:
        for kind in definition.intake_kelengkapan:
            page.locator(f"#id_document_{kind}").set_input_files(ui.files(f"{kind}.pdf"))
    fill_record_fields(ui, definition.intake_record)
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return Case.objects.get(title=title)


def holder_of(task: Task) -> str:
    """The demo users are named after their roles; the Kepala OPD is the proposing OPD's head."""
    return "kepala_dispar" if task.role_key == "kepala_opd" else task.role_key


@pytest.mark.parametrize("sop_key", sorted(STARTERS))
def test_the_sop_runs_its_straight_path_through_the_pages(desktop, sop_key):
    ui = desktop
    ui.sign_in(STARTERS[sop_key])
    title = f"Perkara uji halaman {sop_key}"
    case = register_case(ui, sop_key, title)
    definition = definition_of(case.sop_version)

    walked = []
    while (task := Task.objects.filter(case=case, status=Task.Status.OPEN).first()) is not None:
        step = definition.step(task.step_key)
        ui.as_user(holder_of(task))
        ui.goto(f"/tugas/{task.pk}/")
        for kind in step.produces:
            ui.upload(kind)
        outcome = "setuju" if step.is_decision else ""
        fill_record_fields(ui, step.record, outcome)
        if outcome:
            ui.decide(outcome)
        ui.finish(step.number)
        walked.append((task.step_key, task.role_key, ""))

    (end, straight), *_ = PATHS[sop_key]
    case.refresh_from_db()
    assert walked == path(straight)
    assert case.end_key == end
    expect(ui.page.locator("span.badge.fs-6")).to_contain_text(definition.end(end).name)
