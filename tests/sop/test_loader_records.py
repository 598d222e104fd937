"""Specification of the loader for a step's `record` fields: what a step records besides its
decision (a meeting date, who signs), and how a malformed entry is reported, on its own line.

As in test_loader.py, every definition here is the small valid definition with one edit: a
`record` list added to the decision step `putuskan` (or to the plain step `terima`).
"""
from __future__ import annotations

import pytest

from alur.sop import DefinitionError, load_definition_text
from alur.sop.model import RecordField
from tests.sop.test_loader import edit, line_of, only_problem, problems_of, valid_text

DECISION_STEP = "    waktu: 1 jam\n"  # the line of `putuskan` after which its record goes
PLAIN_STEP = "    waktu: 5 menit\n"  # the same for `terima`, which has no decision

RECORD = """\
    record:
      - key: tanggal_rapat
        label: Tanggal rapat
        type: date
      - key: peserta
        label: Peserta rapat
        required: false
      - key: penandatangan
        label: Yang menandatangani
        type: choice
        when: setuju
        choices:
          kepala: Kepala Bagian
          staf: Staf dengan surat kuasa
        documents:
          staf: [nota]
"""


def with_record(block: str, *, after: str = DECISION_STEP, text: str | None = None) -> str:
    return edit(text or valid_text(), after, after + block)


def one_field(*lines: str, after: str = DECISION_STEP) -> str:
    """A definition whose step has one record field written as the given lines."""
    body = "".join(f"        {line}\n" for line in lines)
    return with_record("    record:\n      - " + body.lstrip(), after=after)


# --- what is accepted ---------------------------------------------------------------------------


def test_record_fields_load_with_their_type_requirement_condition_choices_and_documents():
    definition = load_definition_text(with_record(RECORD))

    assert definition.step("putuskan").record == (
        RecordField(key="tanggal_rapat", label="Tanggal rapat", type="date"),
        RecordField(key="peserta", label="Peserta rapat", type="text", required=False),
        RecordField(key="penandatangan", label="Yang menandatangani", type="choice", when="setuju",
                    choices=(("kepala", "Kepala Bagian"), ("staf", "Staf dengan surat kuasa")),
                    documents=(("staf", ("nota",)),)),
    )
    assert definition.step("terima").record == ()


def test_a_lines_field_loads_and_splits_its_value_into_tidied_entries():
    (field,) = load_definition_text(one_field("key: tembusan", "label: Tembusan", "type: lines")).step("putuskan").record

    assert (field.type, field.required) == ("lines", True)
    assert field.entries(" Dinas  Pariwisata \n\n Inspektorat\r\n") == ("Dinas Pariwisata", "Inspektorat")


def test_a_field_without_type_is_text_and_required():
    definition = load_definition_text(one_field("key: catatan", "label: Catatan"))

    (field,) = definition.step("putuskan").record
    assert (field.type, field.required, field.when) == ("text", True, "")


def test_a_field_for_one_outcome_applies_only_to_it():
    field = load_definition_text(with_record(RECORD)).step("putuskan").record[2]

    assert field.applies_to("setuju") and not field.applies_to("tidak_setuju")


def test_a_plain_step_may_record_fields_without_when():
    definition = load_definition_text(one_field("key: tanggal", "label: Tanggal terima", "type: date", after=PLAIN_STEP))

    assert [f.key for f in definition.step("terima").record] == ["tanggal"]


def test_an_empty_record_is_no_fields():
    assert load_definition_text(with_record("    record:\n")).step("putuskan").record == ()


def test_choice_values_are_kept_as_written_not_read_as_yaml_values():
    text = one_field("key: jawab", "label: Jawaban", "type: choice", "choices:", "  ya: Ya", "  no: Tidak", "  1: Satu")

    (field,) = load_definition_text(text).step("putuskan").record

    assert field.choices == (("ya", "Ya"), ("no", "Tidak"), ("1", "Satu"))


def test_record_may_be_marked_inferred():
    text = edit(with_record(RECORD), "inferred: [actor]", "inferred: [actor, record]")

    assert load_definition_text(text).step("putuskan").marks.is_inferred("record")


# --- malformed entries, each reported on its line -----------------------------------------------


def test_an_unknown_type_is_reported_on_its_line_naming_the_known_types():
    text = one_field("key: tanggal", "label: Tanggal", "type: tanggal")

    problem = only_problem(text)

    assert problem.line == line_of(text, "type: tanggal")
    assert problem.message == "langkah 'putuskan': isian 'tanggal': jenis 'tanggal' tidak dikenal; yang dikenal: text, lines, date, choice"


def test_when_on_a_step_without_decision_is_reported_on_its_line():
    text = one_field("key: tanggal", "label: Tanggal", "when: setuju", after=PLAIN_STEP)

    problem = only_problem(text)

    assert problem.line == line_of(text, "when: setuju")
    assert problem.message == "langkah 'terima': isian 'tanggal': 'when' hanya untuk langkah keputusan; langkah ini tidak punya 'decision'"


def test_when_naming_no_outcome_is_reported_on_its_line_naming_the_outcomes():
    text = one_field("key: tanggal", "label: Tanggal", "when: mungkin")

    problem = only_problem(text)

    assert problem.line == line_of(text, "when: mungkin")
    assert problem.message == "langkah 'putuskan': isian 'tanggal': 'when' berisi 'mungkin'; yang dikenal: setuju, tidak_setuju"


def test_a_choice_without_choices_is_reported_on_the_fields_first_line():
    text = one_field("key: penandatangan", "label: Yang menandatangani", "type: choice")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: penandatangan")
    assert problem.message == "langkah 'putuskan': isian 'penandatangan': isian pilihan (type: choice) harus punya 'choices'"


def test_choices_written_as_a_list_are_reported_once_on_their_line():
    text = one_field("key: penandatangan", "label: Yang menandatangani", "type: choice", "choices: [kepala, staf]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "choices: [kepala, staf]")
    assert problem.message.startswith("langkah 'putuskan': isian 'penandatangan': 'choices' harus berupa pemetaan nilai: label")


@pytest.mark.parametrize("name, lines", [
    ("choices", ["choices:", "  kepala: Kepala Bagian"]),
    ("documents", ["documents:", "  kepala: [nota]"]),
])
def test_choices_or_documents_on_a_field_that_is_not_a_choice_are_reported_on_their_line(name, lines):
    text = one_field("key: catatan", "label: Catatan", *lines)

    problem = only_problem(text)

    assert problem.line == line_of(text, f"        {name}:")
    assert problem.message == f"langkah 'putuskan': isian 'catatan': '{name}' hanya untuk isian pilihan (type: choice), bukan text"


def test_a_choice_value_written_twice_is_reported_on_the_second_naming_the_first():
    text = one_field("key: p", "label: P", "type: choice", "choices:", "  kepala: Kepala Bagian", "  kepala: Kepala Dinas")

    problem = only_problem(text)

    assert problem.line == line_of(text, "kepala: Kepala Dinas")
    assert problem.message == f"langkah 'putuskan': isian 'p': pilihan 'kepala' ditulis dua kali (pertama di baris {line_of(text, 'kepala: Kepala Bagian')})"


def test_a_choice_without_a_label_is_reported_on_its_line():
    text = one_field("key: p", "label: P", "type: choice", "choices:", "  kepala:")

    problem = only_problem(text)

    assert problem.line == line_of(text, "  kepala:")
    assert problem.message == "langkah 'putuskan': isian 'p': label pilihan 'kepala' harus berupa teks"


def test_documents_naming_an_unknown_document_kind_are_reported_on_that_items_line():
    text = edit(with_record(RECORD), "          staf: [nota]\n", "          staf:\n            - nota\n            - surat_kuasa\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- surat_kuasa")
    assert problem.message == "langkah 'putuskan': isian 'penandatangan': jenis dokumen 'surat_kuasa' tidak ada di daftar dokumen"


def test_documents_for_a_value_that_is_no_choice_are_reported_on_its_line_naming_the_choices():
    text = edit(with_record(RECORD), "          staf: [nota]\n", "          sekda: [nota]\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "sekda: [nota]")
    assert problem.message == "langkah 'putuskan': isian 'penandatangan': documents: pilihan 'sekda' tidak dikenal; yang dikenal: kepala, staf"


def test_documents_of_a_choice_that_are_not_a_list_are_reported_on_their_line():
    text = edit(with_record(RECORD), "          staf: [nota]\n", "          staf: nota\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "staf: nota")
    assert problem.message == "langkah 'putuskan': isian 'penandatangan': dokumen per pilihan harus berupa daftar jenis dokumen"


def test_a_duplicate_field_key_is_reported_on_the_second_naming_the_first():
    text = with_record(RECORD.replace("      - key: peserta\n", "      - key: tanggal_rapat\n"))

    problem = only_problem(text)

    first, second = [n for n, line in enumerate(text.splitlines(), start=1) if "- key: tanggal_rapat" in line]
    assert problem.line == second
    assert problem.message == f"langkah 'putuskan': isian 'tanggal_rapat' ditulis dua kali (pertama di baris {first})"


def test_two_fields_without_a_key_are_each_reported_missing_and_not_as_duplicates():
    text = with_record("    record:\n      - label: Tanggal\n      - label: Peserta\n")

    problems = problems_of(text)

    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, "- label: Tanggal"), "langkah 'putuskan': isian: kolom wajib 'key' tidak ada"),
        (line_of(text, "- label: Peserta"), "langkah 'putuskan': isian: kolom wajib 'key' tidak ada"),
    ]


def test_a_field_without_label_is_reported_on_its_first_line():
    text = one_field("key: tanggal", "type: date")

    problem = only_problem(text)

    assert problem.line == line_of(text, "- key: tanggal")
    assert problem.message == "langkah 'putuskan': isian 'tanggal': kolom wajib 'label' tidak ada"


def test_an_unknown_field_of_an_entry_is_reported_on_its_line_with_the_likely_meant_one():
    text = one_field("key: tanggal", "label: Tanggal", "tipe: date")

    problem = only_problem(text)

    assert problem.line == line_of(text, "tipe: date")
    assert problem.message.startswith("langkah 'putuskan': isian 'tanggal': kolom 'tipe' tidak dikenal (maksudnya 'type'?)")


def test_required_that_is_not_true_or_false_is_reported_on_its_line():
    text = one_field("key: tanggal", "label: Tanggal", "required: wajib")

    problem = only_problem(text)

    assert problem.line == line_of(text, "required: wajib")
    assert problem.message == "langkah 'putuskan': isian 'tanggal': 'required' harus true atau false"


@pytest.mark.parametrize("block, fragment, message", [
    ("    record: tanggal\n", "record: tanggal", "langkah 'putuskan': 'record' harus berupa daftar isian"),
    ("    record:\n      - tanggal\n", "- tanggal", "langkah 'putuskan': isian harus berupa pemetaan (kunci: nilai)"),
])
def test_a_record_that_is_not_a_list_of_mappings_is_reported_on_its_line(block, fragment, message):
    text = with_record(block)

    problem = only_problem(text)

    assert (problem.line, problem.message) == (line_of(text, fragment), message)


def test_removing_any_one_line_of_a_record_gives_a_definition_or_problems_never_a_crash():
    lines = with_record(RECORD).splitlines(keepends=True)
    for index in range(len(lines)):
        text = "".join(lines[:index] + lines[index + 1:])
        try:
            load_definition_text(text)
        except DefinitionError as error:
            assert error.problems, f"without line {index + 1}: no problems listed"
            assert all(1 <= p.line <= len(lines) for p in error.problems), f"without line {index + 1}: {error}"
