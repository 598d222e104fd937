from django.db import migrations


def contacts_from_partner_fields(apps, schema_editor):
    """A partner's one contact person becomes the first of its contacts."""
    Partner = apps.get_model("agreements", "Partner")
    PartnerContact = apps.get_model("agreements", "PartnerContact")
    PartnerContact.objects.bulk_create(
        PartnerContact(partner=partner, name=partner.contact_name, phone=partner.contact_phone, email=partner.contact_email)
        for partner in Partner.objects.exclude(contact_name="")
    )


class Migration(migrations.Migration):
    # The copy and the removal of the old columns are separate migrations (separate transactions):
    # PostgreSQL refuses to alter a table with the copy's constraint checks still pending.
    dependencies = [("agreements", "0002_register")]
    operations = [migrations.RunPython(contacts_from_partner_fields, migrations.RunPython.noop)]
