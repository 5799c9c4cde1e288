from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Scores"

    def ready(self):
        from assessments.signals import answers_changed
        from scoring.services import scores_follow_answers

        answers_changed.connect(scores_follow_answers, dispatch_uid="scoring.scores_follow_answers")
