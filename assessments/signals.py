"""What the assessment lifecycle tells the apps above it.

assessments imports none of scoring, benchmarking or the apps after them; they connect
receivers to these signals in their AppConfig.ready().
"""

from django.dispatch import Signal

# Sent inside the writing transaction after answers of these assessments changed.
# Keyword arguments: assessment_ids (a list of Assessment ids).
answers_changed = Signal()

# Sent inside the transaction after assessments of one round were published or unpublished.
# Keyword arguments: round_id, assessment_ids (a list of Assessment ids).
publication_changed = Signal()
