"""Error localisation: when a report's identities fail, name the misprinted cells.

The Fellegi-Holt principle (as in Statistics Netherlands' R package errorlocate): the
smallest set of printed cells whose change makes every identity of the month hold,
found as a mixed-integer program (SciPy's `milp`, the HiGHS solver). The identities
are the warehouse's own, read as data from `int_report_identity_terms`.

One job per module:

- `identities`: a month's printed cells and identities, loaded from a built database;
- `solver`: the mixed-integer program over the linear identities, every equally small
  set of changes;
- `suspects`: the suspects of a month, ranked, with the identities each explains (the
  percent formula, `navtiltak.percent`, checked at the corrected counts);
- `summary`: the lines a person reads;
- `diagnostics`: the tables kept in the failed build (schema `diagnostics`);
- `cross_month`: the failures of the rule that spans two reports, told figure by figure;
- `failed_build`: what `make build` runs when its build failed.
"""
