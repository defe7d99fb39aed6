"""The bodies of /tables and /tables/{id}: a table as PxWebApi 2.0 lists it."""

from __future__ import annotations

from navtiltak.statbank import catalogue as cat
from navtiltak.statbank import jsonstat


def table_model(root: str, table: cat.CatalogueTable, lang: str) -> dict[str, object]:
    return {
        "type": "Table",
        "id": table.id,
        "label": table.label[lang],
        "description": table.description[lang],
        "sortCode": table.id,
        "tags": [],
        "updated": table.updated,
        "firstPeriod": table.first_period,
        "lastPeriod": table.last_period,
        "category": "public",
        "variableNames": [variable.label[lang] for variable in table.variables],
        "discontinued": False,
        "source": jsonstat.SOURCE,
        "subjectCode": "AM",
        "timeUnit": "Monthly",
        "paths": [
            [
                {
                    "id": "AM",
                    "label": "Arbeidsmarked" if lang == "no" else "Labour market",
                }
            ]
        ],
        "links": [
            {"rel": "self", "hreflang": lang, "href": f"{root}/tables/{table.id}?lang={lang}"},
            {
                "rel": "metadata",
                "hreflang": lang,
                "href": f"{root}/tables/{table.id}/metadata?lang={lang}",
            },
            {
                "rel": "data",
                "hreflang": lang,
                "href": f"{root}/tables/{table.id}/data?lang={lang}",
            },
        ],
    }
