"""Demo data of the labour app: each part seeds its own (demo_<part>.py), in the order of the process."""

from . import demo_cases, demo_congress, demo_contracts, demo_ratings


def seed(*, stdout) -> None:
    demo_cases.seed(stdout=stdout)
    demo_contracts.seed(stdout=stdout)
    demo_congress.seed(stdout=stdout)  # congresses before ratings: a rating reads whether a congress was held
    demo_ratings.seed(stdout=stdout)
