"""Units, users, roles and assignments are managed in the Django admin, in Indonesian."""
from django.contrib.auth import get_user_model
from django.test import Client


def test_the_user_page_in_the_admin_lists_the_roles_the_user_holds(users):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "rahasia-admin-123")
    client = Client()
    client.force_login(admin)

    page = client.get(f"/admin/auth/user/{users['kepala_dispar'].pk}/change/").content.decode()

    assert "Penugasan peran" in page or "penugasan peran" in page
    assert "Dinas Pariwisata" in page


def test_org_units_and_assignments_are_listed_in_the_admin(users):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "rahasia-admin-123")
    client = Client()
    client.force_login(admin)

    units = client.get("/admin/org/orgunit/").content.decode()
    assignments = client.get("/admin/org/roleassignment/").content.decode()

    assert "Dinas Kelautan dan Perikanan" in units and "Unit organisasi" in units
    assert "kepala_dkp" in assignments or "Kepala Dinas Kelautan" in assignments


def test_agreements_are_shown_in_the_admin_but_corrected_only_on_their_page(users):
    from alur.agreements.entry import record_signed_agreement
    from alur.agreements.models import Agreement, Partner
    from alur.org.models import OrgUnit
    import datetime

    agreement = record_signed_agreement(
        actor=users["pengelola"], kind="pks", number="180/1/PEM/2024", title="PKS Promosi Wisata",
        partner=Partner.objects.get(name="PT Pesona Wisata Serumpun"), org_unit=OrgUnit.objects.get(code="dispar"),
        object="Promosi", scope="Promosi bersama", signed_on=datetime.date(2024, 3, 12),
        starts_on=datetime.date(2024, 3, 15), ends_on=datetime.date(2026, 3, 14))
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "rahasia-admin-123")
    client = Client()
    client.force_login(admin)

    shown = client.get(f"/admin/agreements/agreement/{agreement.pk}/change/")
    posted = client.post(f"/admin/agreements/agreement/{agreement.pk}/change/", {"title": "Diubah", "ends_on": "2040-01-01"})

    assert shown.status_code == 200 and "PKS Promosi Wisata" in shown.content.decode()
    assert f"/perjanjian/{agreement.pk}/" in shown.content.decode()  # to the page where it is corrected
    assert posted.status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).ends_on == datetime.date(2026, 3, 14)
    assert client.get("/admin/agreements/agreement/add/").status_code == 403
