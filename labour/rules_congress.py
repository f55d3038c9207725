"""Pure rules of workers' congresses (no ORM): the quorum and the majority, as fractions kept as data
(``CongressRule``; defaults 2/3 present and more than 1/2 of ALL delegates in favour)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Fractions:
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    majority_numerator: int = 1
    majority_denominator: int = 2


DEFAULT = Fractions()


def quorum_met(*, delegates: int, present: int, rule: Fractions = DEFAULT) -> bool:
    """At least quorum of the delegates elected are present (integers only: 20 of 30 meets 2/3 exactly)."""
    return delegates > 0 and present * rule.quorum_denominator >= rule.quorum_numerator * delegates


def quorum_needed(*, delegates: int, rule: Fractions = DEFAULT) -> int:
    """The fewest delegates present that meet the quorum."""
    return -(-rule.quorum_numerator * delegates // rule.quorum_denominator)


def resolution_passes(*, delegates: int, votes_for: int, rule: Fractions = DEFAULT) -> bool:
    """MORE than the majority share of ALL delegates elected (not of those present) voted for it: 15 of 30 fails."""
    return votes_for * rule.majority_denominator > rule.majority_numerator * delegates


def votes_needed(*, delegates: int, rule: Fractions = DEFAULT) -> int:
    """The fewest votes for that pass a resolution."""
    return rule.majority_numerator * delegates // rule.majority_denominator + 1
