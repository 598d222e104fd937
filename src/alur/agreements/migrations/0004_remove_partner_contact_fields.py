from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_partner_contacts")]
    operations = [
        migrations.RemoveField(
            model_name='partner',
            name='contact_email',
        ),
        migrations.RemoveField(
            model_name='partner',
            name='contact_name',
        ),
        migrations.RemoveField(
            model_name='partner',
            name='contact_phone',
        ),
    ]
