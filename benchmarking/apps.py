from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarks"

    def ready(self):
        from assessments import signals
        from benchmarking import receivers
        from organisations.signals import similar_organisations_changed

        signals.publication_changed.connect(
            receivers.publication_changed, dispatch_uid="benchmarking.publication_changed"
        )
        similar_organisations_changed.connect(
            receivers.similar_organisations_changed,
            dispatch_uid="benchmarking.similar_organisations_changed",
        )
