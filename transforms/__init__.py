"""civicspace: transforms."""
