"""What every endpoint of the read-only API (/api/v1/) shares: cursor pages of a fixed size,
`?format=csv` streamed without a row cap, the request's language, throttling per token.

The endpoints themselves live with their apps: organisations/api.py, surveys/api.py,
reports/api/ (which also holds the URLs, the schema and the documentation page)."""
