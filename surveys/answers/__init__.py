"""The pure answer rules: cleaning, skip logic, constraints, and an answer shown as text.

Values travel as a plain dict {question code: value}:
- single choice / yes-no: the chosen value (str); multiple choice: a list of values;
- integer: int; decimal: Decimal; text: str; date: datetime.date;
- count by sex: {"F": int, "M": int} (either key may be missing while the page is incomplete);
- None (or a missing key): no answer.
The answer store (`Answer`) has one row per (response, question, sex); the total of a count by
sex is derived, never stored. A question made irrelevant by skip logic has no row at all.
Nothing here reads or writes the database: reads are in surveys/selectors/answers.py, writes in
surveys/services/answers.py.
"""
