"""Demo data of the assistance app: each part seeds its own (demo_<part>.py), in the order of the process."""

from . import demo_applications, demo_campaigns, demo_files


def seed(*, stdout) -> None:
    demo_applications.seed(stdout=stdout)
    demo_files.seed(stdout=stdout)
    demo_campaigns.seed(stdout=stdout)
