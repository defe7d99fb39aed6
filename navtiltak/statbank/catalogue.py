"""The tables, variables, values and code lists of the statistics bank, built from the
marts of one snapshot: every county, region, division, group, age band, measure, measure
group, label and month comes from the dimensions; only the API's own words (variable
names, table titles, units) are written here.

Three tables, one per fine grain of the marts:

- DeltakereTiltak: fct_participants_by_measure, Region x Hovedgruppe x Tiltak;
- DeltakereAlder: fct_participants_by_age, Region x Hovedgruppe x Alder;
- DeltakereEndring: fct_participants_change, Region x Hovedgruppe, with last year's count,
  the change and the percent change (recomputed from summed counts, never summed).

Every variable but ContentsCode and Tid can be eliminated: its total (code `total`,
labelled as the report labels its "I alt" lines) covers all its values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from navtiltak.statbank.snapshot import Snapshot

Text = dict[str, str]  # language -> text
TOTAL = "total"
REGION, GROUP, MEASURE, AGE, CONTENTS, TIME = (
    "Region",
    "Hovedgruppe",
    "Tiltak",
    "Alder",
    "ContentsCode",
    "Tid",
)
# The 2020 division: the regions of dim_county.region_code.
REGION_DIVISION = 2020


@dataclass(frozen=True)
class Value:
    code: str
    label: Text
    # The codes of the fact column this value covers (itself for a finest value).
    members: tuple[str, ...]
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Codelist:
    id: str
    label: Text
    kind: str  # Valueset | Aggregation
    variable: str
    values: tuple[Value, ...]
    elimination_code: str | None

    def value(self, code: str) -> Value | None:
        return next((value for value in self.values if value.code == code), None)


@dataclass(frozen=True)
class Metric:
    code: str
    label: Text
    unit: Text
    decimals: int
    # The fact column it sums, or for a percent: (change column, base column).
    column: str | None = None
    percent_of: tuple[str, str] | None = None


@dataclass(frozen=True)
class Variable:
    code: str
    label: Text
    column: str | None  # the fact column; None for ContentsCode
    values: tuple[Value, ...]
    elimination_code: str | None  # None: the variable cannot be eliminated
    role: str | None = None  # geo, time or metric
    codelists: tuple[Codelist, ...] = ()
    note: Text = field(default_factory=dict)

    @property
    def eliminable(self) -> bool:
        return self.elimination_code is not None

    def codelist(self, identifier: str) -> Codelist | None:
        return next((item for item in self.codelists if item.id == identifier), None)


@dataclass(frozen=True)
class CatalogueTable:
    id: str
    label: Text
    description: Text
    fact: str
    variables: tuple[Variable, ...]
    metrics: tuple[Metric, ...]
    updated: str
    # variable code -> (code list id or None, value expressions) of the default selection
    default_selection: dict[str, tuple[str | None, tuple[str, ...]]]

    def variable(self, code: str) -> Variable | None:
        return next((item for item in self.variables if item.code.lower() == code.lower()), None)

    @property
    def first_period(self) -> str:
        return self.variable(TIME).values[0].code  # type: ignore[union-attr]

    @property
    def last_period(self) -> str:
        return self.variable(TIME).values[-1].code  # type: ignore[union-attr]


@dataclass(frozen=True)
class Catalogue:
    tables: tuple[CatalogueTable, ...]
    codelists: dict[str, Codelist]
    sources: dict[str, list[str]]

    def table(self, identifier: str) -> CatalogueTable | None:
        return next((t for t in self.tables if t.id.lower() == identifier.lower()), None)


def both(text: str) -> Text:
    return {"no": text, "en": text}


def _age_label_en(row: dict[str, object]) -> str:
    low, high = row["min_age"], row["max_age"]
    if low is None:
        return f"{high} years and under"
    if high is None:
        return f"{low} years and over"
    return f"{low}-{high} years"


def _ordered(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return sorted(rows, key=lambda row: (row["sort_order"], str(next(iter(row.values())))))


def _total(label: str, members: list[str]) -> Value:
    return Value(TOTAL, {"no": label, "en": "Total"}, tuple(members))


def _region_variable(snapshot: Snapshot) -> Variable:
    counties = _ordered(snapshot.dimensions["dim_county"])
    codes = [str(row["county_code"]) for row in counties]
    total = _total(snapshot.total_label, codes)
    values = (
        total,
        *(
            Value(
                str(row["county_code"]), both(str(row["county_name"])), (str(row["county_code"]),)
            )
            for row in counties
        ),
    )
    codelists = (*_division_codelists(counties, total), _region_codelist(counties, total))
    note = {
        "no": "Fylkene i den inndelingen som gjaldt i måneden; med kodelisten "
        f"agg_Region{REGION_DIVISION} summeres de til regionene fra {REGION_DIVISION}, "
        "én serie på tvers av reformene.",
        "en": "The counties of the division in force in the month; the code list "
        f"agg_Region{REGION_DIVISION} sums them to the regions of {REGION_DIVISION}, "
        "one series across the reforms.",
    }
    return Variable(
        REGION,
        {"no": "region", "en": "region"},
        "county_code",
        values,
        TOTAL,
        "geo",
        codelists,
        note,
    )


def _division_codelists(counties: list[dict[str, object]], total: Value) -> list[Codelist]:
    """One value set per county division: the counties in force on its first day, the
    areas that are not counties, and the total (every county of every division)."""
    starts = sorted({row["valid_from"] for row in counties if row["is_county"]})
    others = [row for row in counties if not row["is_county"]]
    codelists = []
    for position, start in enumerate(starts):
        assert isinstance(start, dt.date)
        end = starts[position + 1] if position + 1 < len(starts) else None
        period_no = f"{start.year}-{end.year - 1}" if end else f"fra {start.year}"
        period_en = f"{start.year}-{end.year - 1}" if end else f"from {start.year}"
        in_force = [
            row
            for row in counties
            if row["is_county"]
            and row["valid_from"] <= start  # type: ignore[operator]
            and (row["valid_to"] is None or row["valid_to"] >= start)  # type: ignore[operator]
        ]
        values = (
            total,  # the whole country in every month, whichever division it printed
            *(
                Value(str(r["county_code"]), both(str(r["county_name"])), (str(r["county_code"]),))
                for r in (*in_force, *others)
            ),
        )
        codelists.append(
            Codelist(
                f"vs_Fylker{start.year}",
                {"no": f"Fylker {period_no}", "en": f"Counties {period_en}"},
                "Valueset",
                REGION,
                values,
                TOTAL,
            )
        )
    return codelists


def _region_codelist(counties: list[dict[str, object]], total: Value) -> Codelist:
    """The regions of the 2020 division, each the sum of the counties that lie in it;
    approximate mappings carry a note naming the municipalities that moved."""
    by_code = {str(row["county_code"]): row for row in counties}
    regions: dict[str, list[dict[str, object]]] = {}
    for row in counties:
        regions.setdefault(str(row["region_code"]), []).append(row)
    order = sorted(
        regions,
        key=lambda code: by_code[code]["sort_order"] if code in by_code else 10**6,  # type: ignore[return-value]
    )
    values = [total]
    for code in order:
        members = regions[code]
        approximate = [row for row in members if row["region_mapping"] == "approximate"]
        notes: dict[str, tuple[str, ...]] = {}
        if approximate:
            notes = {
                "no": tuple(
                    f"{r['county_code']} {r['county_name']}: {r['region_mapping_exceptions']} "
                    "havnet i en annen region; summen før reformen er tilnærmet."
                    for r in approximate
                ),
                "en": tuple(
                    f"{r['county_code']} {r['county_name']}: {r['region_mapping_exceptions']} "
                    "ended in another region; the sum before the reform is approximate."
                    for r in approximate
                ),
            }
        values.append(
            Value(
                code,
                both(str(members[0]["region_name"])),
                tuple(str(row["county_code"]) for row in members),
                notes,
            )
        )
    return Codelist(
        f"agg_Region{REGION_DIVISION}",
        {
            "no": f"Regioner (fylkene fra {REGION_DIVISION})",
            "en": f"Regions (the counties of {REGION_DIVISION})",
        },
        "Aggregation",
        REGION,
        tuple(values),
        TOTAL,
    )


def _group_variable(snapshot: Snapshot) -> Variable:
    rows = _ordered(snapshot.dimensions["dim_participant_group"])
    values = (
        _total(snapshot.total_label, [str(r["participant_group_code"]) for r in rows]),
        *(
            Value(
                str(r["participant_group_code"]),
                {"no": str(r["participant_group_name"]), "en": str(r["participant_group_name_en"])},
                (str(r["participant_group_code"]),),
            )
            for r in rows
        ),
    )
    return Variable(
        GROUP,
        {"no": "hovedgruppe", "en": "participant group"},
        "participant_group_code",
        values,
        TOTAL,
    )


def _measure_variable(snapshot: Snapshot) -> Variable:
    rows = _ordered(snapshot.dimensions["dim_measure"])
    total = _total(snapshot.total_label, [str(r["measure_code"]) for r in rows])
    values = (
        total,
        *(
            Value(
                str(r["measure_code"]),
                {"no": str(r["measure_name"]), "en": str(r["measure_name_en"])},
                (str(r["measure_code"]),),
            )
            for r in rows
        ),
    )
    groups: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(str(row["measure_group_code"]), []).append(row)
    group_values = tuple(
        Value(
            code,
            {
                "no": str(members[0]["measure_group_name"]),
                "en": str(members[0]["measure_group_name_en"]),
            },
            tuple(str(r["measure_code"]) for r in members),
        )
        for code, members in groups.items()
    )
    codelist = Codelist(
        "agg_Tiltaksgrupper",
        {"no": "Tiltaksgrupper", "en": "Measure groups"},
        "Aggregation",
        MEASURE,
        (total, *group_values),
        TOTAL,
    )
    return Variable(
        MEASURE, {"no": "tiltak", "en": "measure"}, "measure_code", values, TOTAL, None, (codelist,)
    )


def _age_variable(snapshot: Snapshot) -> Variable:
    rows = _ordered(snapshot.dimensions["dim_age_band"])
    values = (
        _total(snapshot.total_label, [str(r["age_band_code"]) for r in rows]),
        *(
            Value(
                str(r["age_band_code"]),
                {"no": str(r["age_band_name"]), "en": _age_label_en(r)},
                (str(r["age_band_code"]),),
            )
            for r in rows
        ),
    )
    return Variable(AGE, {"no": "alder", "en": "age"}, "age_band_code", values, TOTAL)


def _time_variable(snapshot: Snapshot) -> Variable:
    rows = sorted(snapshot.dimensions["dim_month"], key=lambda row: str(row["month"]))
    values = tuple(
        Value(
            str(r["tid"]),
            both(str(r["tid"])),
            (str(r["tid"]),),
            {
                "no": tuple(f"Kilde: {name}" for name in snapshot.sources.get(str(r["tid"]), [])),
                "en": tuple(f"Source: {name}" for name in snapshot.sources.get(str(r["tid"]), [])),
            },
        )
        for r in rows
    )
    return Variable(TIME, {"no": "måned", "en": "month"}, "tid", values, None, "time")


PERSONS = {"no": "personer", "en": "persons"}
PARTICIPANTS = Metric(
    "Deltakere", {"no": "Deltakere", "en": "Participants"}, PERSONS, 0, "participants"
)
CHANGE_METRICS = (
    PARTICIPANTS,
    Metric(
        "DeltakereIfjor",
        {"no": "Deltakere samme måned i fjor", "en": "Participants same month last year"},
        PERSONS,
        0,
        "participants_last_year",
    ),
    Metric(
        "Endring",
        {"no": "Endring fra i fjor", "en": "Change from last year"},
        PERSONS,
        0,
        "change_from_last_year",
    ),
    Metric(
        "EndringProsent",
        {"no": "Endring fra i fjor (prosent)", "en": "Change from last year (per cent)"},
        {"no": "prosent", "en": "per cent"},
        0,
        percent_of=("change_from_last_year", "participants_last_year"),
    ),
)


def _contents_variable(metrics: tuple[Metric, ...]) -> Variable:
    values = tuple(Value(m.code, m.label, ()) for m in metrics)
    return Variable(
        CONTENTS, {"no": "statistikkvariabel", "en": "contents"}, None, values, None, "metric"
    )


def build(snapshot: Snapshot) -> Catalogue:
    region = _region_variable(snapshot)
    group = _group_variable(snapshot)
    time = _time_variable(snapshot)
    updated = dt.datetime.fromtimestamp(snapshot.identity[2] / 1e9, dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    newest_division = region.codelists[-2].id  # the last value set before agg_Region
    title = "Deltakere på arbeidsrettede tiltak"
    title_en = "Participants in labour market measures"

    def defaults(*others: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        selection: dict[str, tuple[str | None, tuple[str, ...]]] = {
            REGION: (newest_division, ("*",)),
            GROUP: (None, ("*",)),
        }
        selection.update({code: (None, (TOTAL,)) for code in others})
        selection.update({CONTENTS: (None, ("*",)), TIME: (None, ("top(1)",))})
        return selection

    tables = (
        CatalogueTable(
            "DeltakereTiltak",
            {
                "no": f"{title}, etter region, hovedgruppe, tiltak, statistikkvariabel og måned",
                "en": f"{title_en}, by region, participant group, measure, contents and month",
            },
            {
                "no": "Fra rapportens tabeller per fylke og tiltak (fct_participants_by_measure).",
                "en": "From the report's tables by county and measure "
                "(fct_participants_by_measure).",
            },
            "fct_participants_by_measure",
            (region, group, _measure_variable(snapshot), _contents_variable((PARTICIPANTS,)), time),
            (PARTICIPANTS,),
            updated,
            defaults(MEASURE),
        ),
        CatalogueTable(
            "DeltakereAlder",
            {
                "no": f"{title}, etter region, hovedgruppe, alder, statistikkvariabel og måned",
                "en": f"{title_en}, by region, participant group, age, contents and month",
            },
            {
                "no": "Fra rapportens tabeller «Fylke, alder og hovedgrupper» "
                "(fct_participants_by_age).",
                "en": "From the report's tables by county, age and participant group "
                "(fct_participants_by_age).",
            },
            "fct_participants_by_age",
            (region, group, _age_variable(snapshot), _contents_variable((PARTICIPANTS,)), time),
            (PARTICIPANTS,),
            updated,
            defaults(AGE),
        ),
        CatalogueTable(
            "DeltakereEndring",
            {
                "no": f"{title}, med endring fra samme måned i fjor, etter region, "
                "hovedgruppe, statistikkvariabel og måned",
                "en": f"{title_en}, with the change from the same month last year, by region, "
                "participant group, contents and month",
            },
            {
                "no": "Fra rapportens tabeller «Fylke og hovedgruppe» "
                "(fct_participants_change). Prosenten er regnet av summerte antall.",
                "en": "From the report's tables by county and participant group "
                "(fct_participants_change). The percent is computed from summed counts.",
            },
            "fct_participants_change",
            (region, group, _contents_variable(CHANGE_METRICS), time),
            CHANGE_METRICS,
            updated,
            defaults(),
        ),
    )
    codelists: dict[str, Codelist] = {}
    for table in tables:
        for variable in table.variables:
            for codelist in variable.codelists:
                codelists[codelist.id] = codelist
    return Catalogue(tables, codelists, snapshot.sources)
