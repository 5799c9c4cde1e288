"""What the organisations app tells the apps above it; they connect receivers
in their AppConfig.ready(), so organisations imports none of them."""

from django.dispatch import Signal

# Sent inside the transaction after the stored similar organisations were rebuilt.
similar_organisations_changed = Signal()
