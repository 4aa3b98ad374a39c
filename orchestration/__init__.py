"""civicspace: orchestration."""
