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
