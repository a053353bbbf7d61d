"""Dates as ODK's expressions see them: text "2026-12-01" (a date) or
"2026-12-01T09:30:00.000+07:00" (a date and time), and as numbers the days since 1970-01-01.

Calendar arithmetic is done on integers (Howard Hinnant's days-from-civil), the same steps as in
static/js/expressions.js, so the server and the browser never disagree through a time zone or
a library. A date and time keeps its own clock time; its offset only matters as a number."""

from __future__ import annotations

import math
import re

DATE_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3}))?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
MONTHS = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "lo": [
        "ມັງກອນ",
        "ກຸມພາ",
        "ມີນາ",
        "ເມສາ",
        "ພຶດສະພາ",
        "ມິຖຸນາ",
        "ກໍລະກົດ",
        "ສິງຫາ",
        "ກັນຍາ",
        "ຕຸລາ",
        "ພະຈິກ",
        "ທັນວາ",
    ],
}
WEEKDAYS = {  # Monday first
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "lo": ["ຈັນ", "ອັງຄານ", "ພຸດ", "ພະຫັດ", "ສຸກ", "ເສົາ", "ອາທິດ"],
}


def days_from_civil(year: int, month: int, day: int) -> int:
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = (days if days >= 0 else days - 146096) // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (month <= 2), month, day


def parts(text: str) -> tuple[int, int, int, int, int, int, int, int] | None:
    """(year, month, day, hour, minute, second, millisecond, offset minutes) of a date text,
    None when it is not one (or names a day that does not exist)."""
    match = DATE_RE.fullmatch(text.strip(" \t\n\r"))
    if not match:
        return None
    year, month, day = (int(match.group(n)) for n in (1, 2, 3))
    hour, minute, second = (int(match.group(n) or 0) for n in (4, 5, 6))
    millisecond = int((match.group(7) or "0").ljust(3, "0"))
    zone = match.group(8) or "Z"
    offset = 0 if zone == "Z" else int(zone[0] + "1") * (int(zone[1:3]) * 60 + int(zone[-2:]))
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 60):
        return None
    if civil_from_days(days_from_civil(year, month, day)) != (year, month, day):
        return None
    return year, month, day, hour, minute, second, millisecond, offset


def date_number(text: str) -> float:
    """Days since 1970-01-01 (fractional for a time, at its UTC instant); NaN if not a date."""
    found = parts(text)
    if found is None:
        return math.nan
    year, month, day, hour, minute, second, millisecond, offset = found
    milliseconds = ((hour * 60 + minute - offset) * 60 + second) * 1000 + millisecond
    return days_from_civil(year, month, day) + milliseconds / 86_400_000


def date_text(days: float) -> str:
    """The date of a number of days since 1970-01-01 ("" for NaN or out of years 1-9999)."""
    if not math.isfinite(days):
        return ""
    year, month, day = civil_from_days(math.floor(days))
    if not 1 <= year <= 9999:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def format_date(value: str | float, pattern: str, language: str) -> str:
    """ODK's format-date(): %Y %y %m %n %b %d %e %a %H %h %M %S %3 and %% ; "" if not a date."""
    if isinstance(value, str):
        found = parts(value)
        if found is None:
            return ""
        year, month, day, hour, minute, second, millisecond, _offset = found
    else:
        if not math.isfinite(value) or not 1 <= civil_from_days(math.floor(value))[0] <= 9999:
            return ""
        year, month, day = civil_from_days(math.floor(value))
        milliseconds = math.floor((value - math.floor(value)) * 86_400_000 + 0.5)
        hour, minute = milliseconds // 3_600_000, milliseconds // 60_000 % 60
        second, millisecond = milliseconds // 1000 % 60, milliseconds % 1000
    names = "lo" if language == "lo" else "en"
    weekday = (days_from_civil(year, month, day) + 3) % 7  # 1970-01-01 was a Thursday
    fields = {
        "Y": f"{year:04d}",
        "y": f"{year % 100:02d}",
        "m": f"{month:02d}",
        "n": str(month),
        "b": MONTHS[names][month - 1],
        "d": f"{day:02d}",
        "e": str(day),
        "a": WEEKDAYS[names][weekday],
        "H": f"{hour:02d}",
        "h": str(hour),
        "M": f"{minute:02d}",
        "S": f"{second:02d}",
        "3": f"{millisecond:03d}",
        "%": "%",
    }
    return re.sub(r"%(.)", lambda m: fields.get(m.group(1), m.group(0)), pattern, flags=re.S)
