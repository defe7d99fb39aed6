"""The dimensions and November 2013 base numbers the report generator draws from.

The names agree with ``seeds/reference/*.csv`` (a test checks this); the base numbers are the
national figures printed in ``reports/deltakere-tiltak-fylke-2013-11.txt``.
"""

from __future__ import annotations

FILE_NAME = "deltakere-tiltak-fylke-{month}.txt"

NOTE_TEXT = (
    '"Om statistikken - Arbeidssøkere" finner du på nav.no ved å følge lenken under relatert '
    'informasjon på siden "Tiltaksdeltakere".'
)

# The printed areas: the 19 counties of 2013, then two areas that are not counties.
COUNTIES: tuple[str, ...] = (
    "Østfold",
    "Akershus",
    "Oslo",
    "Hedmark",
    "Oppland",
    "Buskerud",
    "Vestfold",
    "Telemark",
    "Aust-Agder",
    "Vest-Agder",
    "Rogaland",
    "Hordaland",
    "Sogn og Fjordane",
    "Møre og Romsdal",
    "Sør-Trøndelag",
    "Nord-Trøndelag",
    "Nordland",
    "Troms",
    "Finnmark",
    "Øvrige områder",
    "Ukjent",
)
OTHER_AREAS = COUNTIES.index("Øvrige områder")

GROUPS: tuple[str, ...] = (
    "Arbeidssøkere på tiltak",
    "Nedsatt arbeidsevne, på tiltak",
    "Andre på tiltak",
)
OTHERS_GROUP = GROUPS.index("Andre på tiltak")

AGE_BANDS: tuple[str, ...] = (
    "19 år og under",
    "20-24 år",
    "25-29 år",
    "30-39 år",
    "40-49 år",
    "50-59 år",
    "60 år og over",
)

# Measure groups and their measures, in printed order.
MEASURE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Avklaringstiltak",
        ("Avklaring", "Avklaring i skjermet virksomhet", "Avklaring - sykmeldt arbeidstaker"),
    ),
    (
        "Oppfølging",
        (
            "Arbeid med bistand (AB)",
            "Intern jobbklubb",
            "Jobbklubb",
            "Mentor",
            "Oppfølging",
            "Oppfølging - sykmeldt arbeidstaker",
            "Resultatbasert finansiering",
        ),
    ),
    (
        "Opplæring",
        (
            "Arbeidsmarkedsopplæring (AMO)",
            "Arbeidsmarkedsopplæring (AMO) enkeltplass",
            "Kvalifisering i arbeidsmarkedsbedrift",
            "Nettbasert arbeidsmarkedsopplæring (AMO)",
            "Utdanning",
        ),
    ),
    (
        "Lønnstilskudd",
        (
            "AAP som lønnstilskudd",
            "Tidsbegrenset lønnstilskudd",
            "Tidsubestemt lønnstilskudd",
        ),
    ),
    (
        "Arbeidspraksis",
        ("Arbeidspraksis i ordinær virksomhet", "Arbeidspraksis i skjermet virksomhet"),
    ),
    (
        "Arbeidsrettet rehabilitering",
        (
            "Arbeidsrettet rehabilitering (dag)",
            "Arbeidsrettet rehabilitering (dag) - sykmeldt arbeidstaker",
            "Arbeidsrettet rehabilitering (døgn)",
            "Arbeidsrettet rehabilitering (døgn) - sykmeldt arbeidstaker",
        ),
    ),
    (
        "Tilrettelagt arbeid",
        (
            "Produksjonsverksted (PV)",
            "Tilrettelagt arbeid i arbeidsmarkedsbedrift",
            "Varig tilrettelagt arbeid i ordinær virksomhet",
            "Varig tilrettelagt arbeid i skjermet virksomhet",
            "Varig vernet arbeid (VVA)",
        ),
    ),
    (
        "Helsemessig utredning/behandling",
        (
            "Utredning/behandling lettere psykiske lidelser",
            "Utredning/behandling sammensatte lidelser",
        ),
    ),
    (
        "Tilrettelegging",
        (
            "Funksjonsassistanse",
            "Tilrettelegging",
            "Tilretteleggingstilskudd for arbeidssøker",
        ),
    ),
    ("Jobbskaping og egenetablering", ("Egenetablering", "Jobbskapingsprosjekter")),
)

# Every measure as (measure group index, measure name), in printed order.
MEASURES: tuple[tuple[int, str], ...] = tuple(
    (group, name) for group, (_, names) in enumerate(MEASURE_GROUPS) for name in names
)

# Printed misspellings (label_aliases.csv, alias_reason = misspelling), by canonical name.
MISSPELLINGS: dict[str, tuple[str, ...]] = {
    "Helsemessig utredning/behandling": ("Heisemessig utredning/behandling",),
    "Jobbskaping og egenetablering": ("Jobbskapning og egenetablering",),
    "Intern jobbklubb": ("Intern jobbklass",),
    "Jobbklubb": ("Jobbklass",),
    "Jobbskapingsprosjekter": ("Jobbskappingsprosjekter", "Jobbskapingprosjekter"),
    "Arbeidsmarkedsopplæring (AMO) enkeltplass": ("Arbeidsmarkedsopplæring (AMO) enkelt plass",),
}

# The measure groups each participant group's "Fylke, tiltak og hovedgrupper" table prints, as
# in November 2013: jobseekers lack the four groups that are structurally zero for them, the
# others lack "Tilrettelagt arbeid" but print their (structurally zero) job-creation column.
GROUP_COLUMNS: tuple[tuple[int, ...], ...] = (
    (0, 1, 2, 3, 4, 9),
    tuple(range(len(MEASURE_GROUPS))),
    (0, 1, 2, 3, 4, 5, 7, 8, 9),
)

# November 2013, national participants per measure (MEASURES order) and participant group:
# the generator's scale, and its structural zeros (a 0 here is 0 in every county and month).
NATIONAL_BASE: tuple[tuple[int, int, int], ...] = (
    (183, 362, 33),
    (6, 2219, 6),
    (21, 31, 172),
    (52, 6938, 20),
    (23, 2, 1),
    (2373, 241, 15),
    (4, 71, 10),
    (851, 1208, 44),
    (24, 94, 142),
    (0, 2, 0),
    (4880, 2084, 63),
    (222, 319, 16),
    (7, 793, 7),
    (62, 68, 1),
    (29, 10571, 33),
    (0, 162, 0),
    (1575, 1484, 123),
    (0, 2326, 0),
    (7614, 8255, 157),
    (19, 6996, 11),
    (0, 153, 22),
    (0, 84, 307),
    (0, 14, 1),
    (0, 63, 36),
    (0, 31, 0),
    (0, 1034, 0),
    (0, 1223, 0),
    (0, 8145, 0),
    (0, 54, 0),
    (0, 29, 610),
    (0, 9, 61),
    (0, 28, 94),
    (0, 42, 375),
    (0, 139, 5),
    (57, 87, 0),
    (30, 11, 0),
)

# November 2013, participants per area (COUNTIES order) and participant group. "Øvrige
# områder" is raised a little above its printed (1, 1, 0) so that it is rarely empty.
COUNTY_BASE: tuple[tuple[float, float, float], ...] = (
    (1850, 3388, 164),
    (1941, 4783, 176),
    (3159, 6100, 276),
    (668, 2573, 87),
    (540, 2053, 132),
    (1095, 3023, 162),
    (996, 3380, 126),
    (919, 2242, 93),
    (423, 1566, 55),
    (604, 2431, 80),
    (829, 3932, 239),
    (1676, 5079, 293),
    (84, 783, 21),
    (801, 2645, 74),
    (873, 3247, 89),
    (272, 1759, 75),
    (705, 3094, 123),
    (407, 2206, 73),
    (179, 1024, 25),
    (1.5, 1.5, 0),
    (10, 63, 2),
)

# November 2013, national participants per participant group and age band.
AGE_BASE: tuple[tuple[int, ...], ...] = (
    (1979, 3461, 2698, 4828, 3340, 1451, 275),
    (832, 6645, 7431, 14597, 14379, 9032, 2456),
    (12, 141, 268, 698, 680, 457, 109),
)

# Participants relative to November, by calendar month (fewer in summer and at Christmas).
SEASON = (0.97, 1.0, 1.02, 1.01, 0.99, 0.93, 0.84, 0.9, 1.0, 1.01, 1.0, 0.94)
