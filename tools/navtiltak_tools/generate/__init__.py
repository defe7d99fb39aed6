"""Synthetic monthly reports in the published layout, for testing the extractor and warehouse.

Every report is drawn from the finest grains the real report implies (see the brief,
section 2), a function of (catalogue, seed, month): the same triple always gives the same
report. One job per module: ``catalogue`` reads what to print from the project (reference
seeds and the November 2013 report; the county division of each month), ``months`` handles
``YYYY-MM``, ``grains`` draws the numbers (and last year's, restated in the month's
counties), ``earlier`` reads last year's figures from a report already there, ``render``
prints them in the published layout, ``cli`` is the command line.
"""

from navtiltak_tools.generate.catalogue import (
    Division,
    ReportCatalogue,
    default_catalogue,
    load_catalogue,
)
from navtiltak_tools.generate.earlier import PrintedMonth, read_printed_month, reports_by_month
from navtiltak_tools.generate.grains import LastYear, MonthData, finest_grains, last_year
from navtiltak_tools.generate.months import (
    month_line,
    month_range,
    parse_month,
    parse_months,
    shift_month,
)
from navtiltak_tools.generate.render import (
    format_number,
    percent_change,
    render_report,
    report_file_name,
    report_path,
    write_reports,
)

__all__ = [
    "Division",
    "LastYear",
    "MonthData",
    "PrintedMonth",
    "ReportCatalogue",
    "default_catalogue",
    "finest_grains",
    "format_number",
    "last_year",
    "load_catalogue",
    "month_line",
    "month_range",
    "parse_month",
    "parse_months",
    "percent_change",
    "read_printed_month",
    "render_report",
    "report_file_name",
    "report_path",
    "reports_by_month",
    "shift_month",
    "write_reports",
]
