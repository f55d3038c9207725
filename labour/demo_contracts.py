"""Demo data: contracts."""


def seed(*, stdout) -> None:
    pass
