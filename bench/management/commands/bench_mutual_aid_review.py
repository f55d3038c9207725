import json

from django.core.management.base import BaseCommand

from bench import claim_review as bench
from mutual_aid.models import Claim


class Command(BaseCommand):
    help = (
        "Benchmark the mutual-aid automatic review: create N submitted claims and measure how many claims per "
        "second ONE real Celery worker process reviews (PostgreSQL + Redis). Optionally fill the reviewers' "
        "queue with --queue-claims and count the queue page's queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--queue-claims", type=int, default=0, help="claims to add to the review queue")
        parser.add_argument("--clean", action="store_true", help="remove earlier bench rows first")
        parser.add_argument("--pool", choices=["solo", "threads"], default="solo", help="the worker's pool")
        parser.add_argument("--concurrency", type=int, default=1, help="threads in the one worker process")
        parser.add_argument(
            "--batch", type=int, default=0, help="queue one batch task per N claims (as the stale-review sweep)"
        )

    def handle(self, *args, claims, members, queue_claims, clean, pool, concurrency, batch, **options):
        out = self.stdout.write
        if clean:
            bench.clean(out)
        scheme, people = bench.setup_members(count=members, out=out)
        report = {}
        if queue_claims:
            before = bench.queue_queries(out=out)
            bench.create_claims(
                scheme=scheme, members=people, count=queue_claims, status=Claim.Status.FIRST_REVIEW, out=out
            )
            report["queue"] = {"before": before, "after": bench.queue_queries(out=out)}
        if claims:
            ids = bench.create_claims(
                scheme=scheme, members=people, count=claims, status=Claim.Status.SUBMITTED, out=out
            )
            report["review"] = bench.run_review(ids=ids, out=out, pool=pool, concurrency=concurrency, batch=batch)
        out(json.dumps(report, indent=2, ensure_ascii=False))
        review = report.get("review")
        if review:
            out(
                f"automatic review: {review['reviewed']}/{review['claims']} claims, "
                f"{review['claims_per_s_busy']} claims/s while busy ({review['claims_per_s_wall']} claims/s wall)"
            )
