"""Exports of a round's results: Excel, CSV, PDF and Word, run as background jobs (ReportJob).

spec.py      what may be asked (content x format x language x area) and the file it gives
tables/      the tables (precomputed results, raw answers, codebook), streamed row by row;
             the raw answers also as one SQL query that PostgreSQL writes as CSV (COPY)
xlsx.py, csvzip.py, pdf.py, docx.py   the writers; lao.py  Lao line breaking for PDF
documents.py the content of the reports (national, area, scorecard, master-plan input)
build.py     one export from a spec to a file, reporting progress; errors.py  BuildError
jobs.py      the ReportJob service: request (join a running one), run, sweep, expire
views.py     request, progress (polled), list and the permission-checked download
"""
