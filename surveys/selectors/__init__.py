"""Non-trivial reads of the surveys app, one module per area; they never write."""
