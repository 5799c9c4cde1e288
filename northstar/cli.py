"""The ``northstar`` console script: Django's management commands under
Northstar's settings, so ``northstar load-framework PATH`` is
``manage.py load-framework PATH``."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "northstar.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - read now, so a refusal is reported plainly
    except ImproperlyConfigured as refusal:
        sys.exit(f"northstar: {refusal}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["northstar", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
