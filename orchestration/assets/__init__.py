"""Dagster assets, one module per layer. Each is wiring around pure functions in transforms/."""
