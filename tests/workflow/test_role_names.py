"""A role's name belongs to the SOP that declares it: two SOPs may name the same role key
differently, each case shows the name its own SOP gives, and loading one SOP renames nothing."""
from __future__ import annotations

from alur.org.models import OrgUnit, Role
from alur.workflow.selectors import case_timeline
from alur.workflow.services import load_sop, start_case
from tests.conftest import pdf
from tests.sop.test_loader import VALID, edit

# The loader's small valid definition under its own key, its first role keyed `karo` and named as
# another Biro names its head.
OTHER = (edit(edit(VALID, "key: surat-masuk\n", "key: surat-uji\n"), "  - key: staf\n    name: Staf Tata Usaha\n",
              "  - key: karo\n    name: Kepala Biro Hukum\n")
         .replace("roles: [staf]", "roles: [karo]").replace("actor: staf", "actor: karo"))


def test_loading_an_sop_that_names_a_known_role_otherwise_renames_nothing(users):
    load_sop(text=OTHER, source_name="lain.yaml")

    assert Role.objects.get(key="karo").name == "Karo Pemerintahan"


def test_each_case_shows_the_role_name_its_own_sop_gives(users, walker):
    version, _ = load_sop(text=OTHER, source_name="lain.yaml")
    other = start_case(sop_key=version.sop.key, title="Surat uji", actor=users["karo"],
                       org_unit=OrgUnit.objects.get(code="dispar"), attachments=[pdf("surat")])

    assert case_timeline(other)[0].role_name == "Kepala Biro Hukum"
    assert case_timeline(walker.case)[0].role_name == "Karo Pemerintahan"
