"""NAV's published percent change, the rule percent_change_formula checks: the product's
one Python copy of the rule (the locator's percent identities use it).

The same formula as the dbt macro `percent_change` (what the warehouse computes): 100 x
change / last year's count, rounded half away from zero; blank (None) when last year had
no participants (or, never printed, fewer than none). The report generator keeps a
formula of its own on purpose (tools/navtiltak_tools/generate/render.py): it is the
oracle the tests check this one and the macro against.
"""

from __future__ import annotations


def percent_change(change: int, last_year: int) -> int | None:
    if last_year <= 0:
        return None
    # Integer arithmetic: floor((200|c| + l) / 2l) is round-half-up of 100|c|/l.
    magnitude = (200 * abs(change) + last_year) // (2 * last_year)
    return -magnitude if change < 0 else magnitude
