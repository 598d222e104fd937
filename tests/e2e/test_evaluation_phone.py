"""The monitoring and evaluation forms at phone width (390 x 844): a penilai makes a monitoring
form for a period, edits a note, and an evaluator answers the evaluation, nothing scrolling sideways."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from alur.evaluation.models import MonitoringFormRow, SopEvaluation
from alur.evaluation.permenpan import EVALUATION_CRITERIA

from .conftest import start_agreement

PKS = "pks-pihak-ketiga"


def test_the_forms_work_at_phone_width(phone):
    ui, page = phone, phone.page
    start_agreement("PKS Promosi Wisata Bahari")

    ui.sign_in("kabag")
    ui.goto(f"/sop/{PKS}/formulir/")
    assert ui.no_horizontal_scroll()
    page.get_by_role("link", name="Buat formulir monitoring").click()
    assert ui.no_horizontal_scroll()
    page.get_by_label("Perangkat Daerah").select_option(label="Dinas Pariwisata")
    page.get_by_role("button", name="Buat formulir monitoring").click()
    expect(page.get_by_role("alert").filter(has_text="Formulir monitoring dibuat")).to_be_visible()
    expect(page.locator("section.card")).to_have_count(15)
    assert ui.no_horizontal_scroll()

    note = page.locator("textarea[name=catatan_terima_disposisi]")
    assert note.bounding_box()["width"] <= 390
    note.fill("Disposisi diterima tepat waktu.")
    page.get_by_role("button", name="Simpan catatan dan tindakan").click()
    expect(page.get_by_role("alert").filter(has_text="Catatan dan tindakan disimpan.")).to_be_visible()
    assert MonitoringFormRow.objects.get(step_key="terima_disposisi").catatan == "Disposisi diterima tepat waktu."
    expect(page.get_by_role("link", name=re.compile("PDF"))).to_be_visible()

    ui.goto(f"/sop/{PKS}/formulir/evaluasi/baru/")
    assert ui.no_horizontal_scroll()
    for criterion in EVALUATION_CRITERIA[:-1]:
        page.locator(f"input[name=answer_{criterion.key}][value=ya]").check()
    page.get_by_role("button", name="Simpan evaluasi").click()
    expect(page.get_by_role("alert").filter(has_text="Sinergi satu dengan lainnya")).to_be_visible()
    assert ui.no_horizontal_scroll()
    assert not SopEvaluation.objects.exists()
    page.locator("input[name=answer_sinergi][value=tidak]").check()
    page.get_by_role("button", name="Simpan evaluasi").click()
    expect(page.get_by_role("alert").filter(has_text="Formulir evaluasi disimpan.")).to_be_visible()
    assert SopEvaluation.objects.get().answers.get(criterion="sinergi").answer is False
    assert ui.no_horizontal_scroll()
