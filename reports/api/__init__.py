"""The results endpoints of the read-only API (/api/v1/), their URLs (with the organisations and
surveys endpoints), the OpenAPI schema and its documentation page.

common.py   filters and labels every results endpoint shares (round, area, scales)
results.py  per-organisation results (pillar and overall scores, stage, gap, class, priority)
areas.py    area aggregates, coverage, gender indicators, scores by respondent sex
answers.py  the raw answers of an organisation questionnaire's round (CSV by PostgreSQL COPY)
urls.py     /api/v1/ routes, /api/v1/schema/ and /api/v1/docs/"""
