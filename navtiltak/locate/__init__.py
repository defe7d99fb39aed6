"""Error localisation: when a report's identities fail, name the misprinted cells.

The Fellegi-Holt principle (as in Statistics Netherlands' R package errorlocate): the
smallest set of printed cells whose change makes every identity of the month hold,
found as a mixed-integer program (SciPy's `milp`, the HiGHS solver). The identities
are the warehouse's own, read as data from `int_report_identity_terms`.

One job per module:

- `identities`: a month's printed cells and identities, loaded from a built database;
- `percent`: NAV's percent formula, the one identity that is not linear;
- `solver`: the mixed-integer program, every equally small set of changes;
- `suspects`: the suspects of a month, ranked, with the identities each explains;
- `summary`: the lines a person reads and the tables kept in the failed build;
- `failed_build`: what `make build` runs when its build failed.
"""
