from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarks"

    def ready(self):
        from assessments import signals
        from benchmarking import receivers

        signals.publication_changed.connect(
            receivers.publication_changed, dispatch_uid="benchmarking.publication_changed"
        )
