"""Demo data: campaigns."""


def seed(*, stdout) -> None:
    pass
