
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0001_initial'),
        ('workflow', '0003_task_working_time'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MonitoringForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField(verbose_name='awal periode')),
                ('period_end', models.DateField(verbose_name='akhir periode')),
                ('threshold_percent', models.PositiveSmallIntegerField(verbose_name='ambang (%)')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='dibuat pada')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='diubah pada')),
                ('org_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='Perangkat Daerah')),
                ('penilai', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='penilai')),
                ('sop', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='monitoring_forms', to='workflow.sop', verbose_name='SOP')),
                ('sop_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflow.sopversion', verbose_name='versi SOP')),
            ],
            options={
                'verbose_name': 'formulir monitoring',
                'verbose_name_plural': 'formulir monitoring',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='MonitoringFormRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step_key', models.CharField(max_length=80, verbose_name='langkah')),
                ('number', models.PositiveIntegerField(verbose_name='no.')),
                ('prosedur', models.TextField(verbose_name='prosedur')),
                ('penilaian', models.CharField(choices=[('baik', 'Berjalan dengan baik'), ('tidak_baik', 'Tidak berjalan dengan baik'), ('belum', 'Belum dapat dinilai (tidak ada pelaksanaan)')], max_length=20, verbose_name='penilaian')),
                ('catatan', models.TextField(blank=True, verbose_name='catatan hasil penilaian')),
                ('tindakan', models.TextField(blank=True, verbose_name='tindakan yang harus diambil')),
                ('figures', models.JSONField(default=dict, verbose_name='angka')),
                ('form', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='evaluation.monitoringform')),
            ],
            options={
                'verbose_name': 'baris formulir monitoring',
                'verbose_name_plural': 'baris formulir monitoring',
                'ordering': ['form', 'number'],
            },
        ),
        migrations.CreateModel(
            name='SopEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField(verbose_name='awal periode')),
                ('period_end', models.DateField(verbose_name='akhir periode')),
                ('catatan', models.TextField(blank=True, verbose_name='catatan')),
                ('rekomendasi', models.TextField(blank=True, verbose_name='rekomendasi')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='dibuat pada')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='diubah pada')),
                ('evaluator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='evaluator')),
                ('sop', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='workflow.sop', verbose_name='SOP')),
                ('sop_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workflow.sopversion', verbose_name='versi SOP')),
            ],
            options={
                'verbose_name': 'evaluasi SOP',
                'verbose_name_plural': 'evaluasi SOP',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='EvaluationAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('criterion', models.CharField(max_length=40, verbose_name='kriteria')),
                ('number', models.PositiveSmallIntegerField(verbose_name='no.')),
                ('text', models.CharField(max_length=300, verbose_name='bunyi kriteria')),
                ('answer', models.BooleanField(verbose_name='jawaban (ya)')),
                ('keterangan', models.TextField(blank=True, verbose_name='keterangan')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='evaluation.sopevaluation')),
            ],
            options={
                'verbose_name': 'jawaban evaluasi',
                'verbose_name_plural': 'jawaban evaluasi',
                'ordering': ['evaluation', 'number'],
            },
        ),
        migrations.AddConstraint(
            model_name='monitoringform',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='monitoring_period_ordered'),
        ),
        migrations.AddConstraint(
            model_name='monitoringformrow',
            constraint=models.UniqueConstraint(fields=('form', 'step_key'), name='monitoring_row_step_unique'),
        ),
        migrations.AddConstraint(
            model_name='sopevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='evaluation_period_ordered'),
        ),
        migrations.AddConstraint(
            model_name='evaluationanswer',
            constraint=models.UniqueConstraint(fields=('evaluation', 'criterion'), name='evaluation_answer_unique'),
        ),
    ]
