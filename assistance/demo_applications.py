"""Demo data: applications."""


def seed(*, stdout) -> None:
    pass
