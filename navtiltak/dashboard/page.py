"""Write the dashboard: ``index.html`` and the one script it loads, side by side.

The page loads nothing from the network: plotly.js is written beside it from the
plotly package (``plotly.min.js``), the figures' data is inline, the style is in the
page. It opens from the file system (``file://``) as well as from any static server.
"""

from __future__ import annotations

import datetime
import html
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from navtiltak.dashboard.charts import Section, SectionTable, TableCell

ENTRY = "index.html"
PLOTLY_JS = "plotly.min.js"
TITLE = "Deltakere i arbeidsrettede tiltak (participants in labour-market measures)"
# The mode bar's buttons fetch nothing, but its logo links out: leave both off.
PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 1rem 2rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-bottom: 0.2rem; }
section { border-top: 1px solid #ccc; padding: 0.5rem 0 1rem; }
.explanation { margin: 0.2rem 0 0.6rem; }
.source { color: #555; font-size: 0.85rem; }
.headlines { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.headline { background: #f2f5f9; border-radius: 6px; padding: 0.6rem 1rem; min-width: 12rem; }
.headline .value { display: block; font-size: 1.8rem; font-weight: 600; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { padding: 0.15rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
nav a { margin-right: 0.8rem; }
"""


def _attributes(attributes: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items())


def _cell(cell: TableCell) -> str:
    css = ' class="number"' if cell.numeric else ""
    return f"<td{css}{_attributes(cell.attributes)}>{html.escape(cell.text)}</td>"


def _table(table: SectionTable) -> str:
    header = "".join(f"<th>{html.escape(name)}</th>" for name in table.header)
    rows = "\n".join(f"<tr>{''.join(_cell(cell) for cell in row)}</tr>" for row in table.rows)
    return (
        f'<table data-table="{html.escape(table.key)}">'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
    )


def _section(section: Section) -> str:
    parts = [
        f'<section id="{section.key}">',
        f"<h2>{html.escape(section.title)}</h2>",
        f'<p class="explanation">{html.escape(section.explanation)}</p>',
    ]
    if section.headlines:
        cards = "".join(
            f'<div class="headline" data-headline="{headline.key}">'
            f'<span class="label">{html.escape(headline.label)}</span>'
            f'<span class="value">{html.escape(headline.value)}</span></div>'
            for headline in section.headlines
        )
        parts.append(f'<div class="headlines">{cards}</div>')
    if section.figure is not None:
        chart = pio.to_html(
            section.figure,
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{section.key}",
            config=PLOTLY_CONFIG,
        )
        parts.append(f'<div class="chart" data-chart="{section.key}">{chart}</div>')
    if section.table is not None:
        parts.append(_table(section.table))
    sources = ", ".join(section.sources)
    metrics = ", ".join(section.metrics)
    parts.append(
        f'<p class="source">Kilde (source): {html.escape(sources)}; '
        f"metrikker (metrics): {html.escape(metrics)}</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


def render(sections: list[Section], months: list[datetime.date]) -> str:
    links = "".join(
        f'<a href="#{section.key}">{html.escape(section.title.split(" (")[0])}</a>'
        for section in sections
    )
    loaded = f"{months[0]:%Y-%m} - {months[-1]:%Y-%m}" if len(months) > 1 else f"{months[0]:%Y-%m}"
    body = "\n".join(_section(section) for section in sections)
    return f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{html.escape(TITLE)}</title>
<style>{STYLE}</style>
<script src="{PLOTLY_JS}"></script>
</head>
<body>
<h1>{html.escape(TITLE)}</h1>
<p>NAV, <i>Deltakere i arbeidsrettede tiltak. Tiltak og fylke. En måned</i>:
{len(months)} måned(er) lastet (months loaded), {loaded}. Every figure is a metric of the
warehouse's semantic layer (models/marts/_marts__semantic_models.yml).</p>
<nav>{links}</nav>
{body}
</body>
</html>
"""


def write(out_dir: Path, sections: list[Section], months: list[datetime.date]) -> Path:
    """Write the site into `out_dir` (created; it must not hold a previous site)."""
    out_dir.mkdir(parents=True, exist_ok=False)
    (out_dir / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
    entry = out_dir / ENTRY
    entry.write_text(render(sections, months), encoding="utf-8")
    return entry
