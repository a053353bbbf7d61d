"""Forms of the surveys screens, one module per area."""
