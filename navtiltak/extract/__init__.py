"""The extractor: NAV report text in, one dbt seed per published table out.

One job per module: ``text`` reads a file into lines, ``pages`` splits them into pages,
``cells`` reads one printed cell, ``tables`` joins pages into the report's tables and
checks them whole, ``totals`` checks that the last table adds up, ``layout`` and
``labels`` read what the dbt project's reference seeds say about the layout and the
printed labels, ``seeds`` writes the seed files, ``batch`` reads every report on every
core, ``cache`` keeps the reports already read, ``cli`` is ``navtiltak-extract``.
"""
