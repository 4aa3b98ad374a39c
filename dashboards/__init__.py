"""civicspace: dashboards."""
