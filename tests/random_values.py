"""Random loaded-YAML values for the never-raises tests of the rule finders."""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from typing import Any


def random_value(
    rng: random.Random,
    keys: Sequence[str],
    leaves: Sequence[Any],
    depth: int = 0,
    leaf_odds: float = 0.4,
    list_odds: float = 0.2,
    widths: tuple[int, int] = (3, 5),
) -> Any:
    """A leaf (a copy: finders must not share mutable leaves), a list or a mapping of `keys`,
    at most 6 levels deep; `widths` are the most items of a list and of a mapping."""
    roll = rng.random()
    if depth > 5 or roll < leaf_odds:
        return copy.deepcopy(rng.choice(leaves))

    def inner() -> Any:
        return random_value(rng, keys, leaves, depth + 1, leaf_odds, list_odds, widths)

    if roll < leaf_odds + list_odds:
        return [inner() for _ in range(rng.randint(0, widths[0]))]
    return {rng.choice(keys): inner() for _ in range(rng.randint(0, widths[1]))}
