import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_unproven_input(apps, schema_editor):
    # Input kept before this change names no one, so no one may take it back.
    apps.get_model("assessments", "KeptInput").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_statuses_from_the_workflow'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_unproven_input, migrations.RunPython.noop),
        migrations.AddField(
            model_name='keptinput',
            name='user',
            field=models.ForeignKey(default=0, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
            preserve_default=False,
        ),
    ]
