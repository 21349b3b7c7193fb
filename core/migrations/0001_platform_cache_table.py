"""Create the database cache table, so that `migrate` alone prepares the shared rate-limit cache.

Does nothing when CACHE_URL names another backend (Redis in production); createcachetable skips
tables that exist, so running it again (or Django's test database setup) is harmless.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
