"""civicspace: expectations."""
