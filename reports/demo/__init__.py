"""A realistic synthetic national round, for demos and benchmarks (`manage.py seed_national`,
`make run`'s demo data through `load_demo_data`). Not part of the product's logic: nothing
in the product imports it but those two commands.

The real provinces and districts (from load_reference_data), ministries with departments,
provincial and district sector offices, N synthetic villages, one response per organisation
with plausible answers: pillars that go together (one general capacity per organisation plus a
pillar effect), richer provinces ahead, some "don't know", realistic women/men counts, and
about 90% submitted. Deterministic for a given seed. Everything is written with bulk inserts or
COPY (10,000 responses x 60 questions in seconds); the synthetic rows skip the audit history.

national.py       national_round_seed: the whole round
organisations.py  the synthetic tree and the round's targets
questionnaire.py  the questionnaire answered
answers.py        capacities and the answers drawn from them, written by COPY
"""
