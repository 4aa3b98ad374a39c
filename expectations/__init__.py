"""civicspace: expectations (data quality with Great Expectations 1.x).

One module per table (``raw_documents.py`` ... ``marts_alerts.py``) lists its checks
(``CHECKS``, named ``<schema>_<table>_<rule>``) and builds them (``build``); ``runner.py`` runs a
table's checks on Polars frames and returns one outcome per check; ``report.py`` writes an offline
HTML report. ``common.py`` holds the shared pieces (CheckSpec, DQParams, the band rule).
"""
