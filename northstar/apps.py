from django.apps import AppConfig


class NorthstarConfig(AppConfig):
    """The project above every domain app: the home page, navigation and the
    demo, bench and serve commands."""

    name = "northstar"
    verbose_name = "Northstar"
