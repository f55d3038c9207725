"""Demo data: ratings."""


def seed(*, stdout) -> None:
    pass
