from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark: Keqiao-scale synthetic data (``manage.py bench_seed --scale keqiao``) and the timed
    operations (``manage.py bench``). A development tool: in INSTALLED_APPS only when DEBUG, in tests or with
    BENCH=1 (union_portal/settings.py), never in production. It reads every app; nothing imports it."""

    name = "bench"
    verbose_name = "Benchmark"
