"""Demo data: cases."""


def seed(*, stdout) -> None:
    pass
