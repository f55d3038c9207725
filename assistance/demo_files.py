"""Demo data: files."""


def seed(*, stdout) -> None:
    pass
