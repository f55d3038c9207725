"""Demo data: congress."""


def seed(*, stdout) -> None:
    pass
