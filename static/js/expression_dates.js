/*
 * Dates as ODK's expressions see them, the mirror of surveys/expressions/dates.py: text
 * "2026-12-01" or "2026-12-01T09:30:00.000+07:00", and as numbers the days since 1970-01-01,
 * computed on integers (no Date object, so no time zone can make the browser disagree).
 */
(function (root) {
  "use strict";

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function trimXPath(text) { return text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, ""); }

  var DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3}))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$/;
  var MONTHS = {
    en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    lo: ["\u0EA1\u0EB1\u0E87\u0E81\u0EAD\u0E99", "\u0E81\u0EB8\u0EA1\u0E9E\u0EB2", "\u0EA1\u0EB5\u0E99\u0EB2",
      "\u0EC0\u0EA1\u0EAA\u0EB2", "\u0E9E\u0EB6\u0E94\u0EAA\u0EB0\u0E9E\u0EB2", "\u0EA1\u0EB4\u0E96\u0EB8\u0E99\u0EB2",
      "\u0E81\u0ECD\u0EA5\u0EB0\u0E81\u0EBB\u0E94", "\u0EAA\u0EB4\u0E87\u0EAB\u0EB2", "\u0E81\u0EB1\u0E99\u0E8D\u0EB2",
      "\u0E95\u0EB8\u0EA5\u0EB2", "\u0E9E\u0EB0\u0E88\u0EB4\u0E81", "\u0E97\u0EB1\u0E99\u0EA7\u0EB2"]
  };
  var WEEKDAYS = {
    en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    lo: ["\u0E88\u0EB1\u0E99", "\u0EAD\u0EB1\u0E87\u0E84\u0EB2\u0E99", "\u0E9E\u0EB8\u0E94", "\u0E9E\u0EB0\u0EAB\u0EB1\u0E94",
      "\u0EAA\u0EB8\u0E81", "\u0EC0\u0EAA\u0EBB\u0EB2", "\u0EAD\u0EB2\u0E97\u0EB4\u0E94"]
  };

  function fdiv(a, b) { return Math.floor(a / b); }

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = fdiv(y >= 0 ? y : y - 399, 400);
    var yoe = y - era * 400;
    var doy = fdiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
    var doe = yoe * 365 + fdiv(yoe, 4) - fdiv(yoe, 100) + doy;
    return era * 146097 + doe - 719468;
  }

  function civilFromDays(z) {
    z += 719468;
    var era = fdiv(z >= 0 ? z : z - 146096, 146097);
    var doe = z - era * 146097;
    var yoe = fdiv(doe - fdiv(doe, 1460) + fdiv(doe, 36524) - fdiv(doe, 146096), 365);
    var doy = doe - (365 * yoe + fdiv(yoe, 4) - fdiv(yoe, 100));
    var mp = fdiv(5 * doy + 2, 153);
    var d = doy - fdiv(153 * mp + 2, 5) + 1;
    var m = mp + (mp < 10 ? 3 : -9);
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }

  function dateParts(text) {
    var match = DATE_RE.exec(trimXPath(text));
    if (!match) { return null; }
    var n = function (k) { return match[k] ? parseInt(match[k], 10) : 0; };
    var y = n(1), m = n(2), d = n(3), h = n(4), mi = n(5), sec = n(6);
    var ms = match[7] ? parseInt((match[7] + "00").slice(0, 3), 10) : 0;
    var zone = match[8] || "Z";
    var offset = zone === "Z" ? 0 :
      (zone[0] === "-" ? -1 : 1) * (parseInt(zone.slice(1, 3), 10) * 60 + parseInt(zone.slice(-2), 10));
    if (!(m >= 1 && m <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 60)) { return null; }
    var back = civilFromDays(daysFromCivil(y, m, d));
    if (back[0] !== y || back[1] !== m || back[2] !== d) { return null; }
    return [y, m, d, h, mi, sec, ms, offset];
  }

  function dateNumber(text) {
    var p = dateParts(text);
    if (!p) { return NaN; }
    var ms = ((p[3] * 60 + p[4] - p[7]) * 60 + p[5]) * 1000 + p[6];
    return daysFromCivil(p[0], p[1], p[2]) + ms / 86400000;
  }

  function pad(n, width) { var t = String(n); while (t.length < width) { t = "0" + t; } return t; }

  function dateText(days) {
    if (!isFinite(days)) { return ""; }
    var c = civilFromDays(Math.floor(days));
    if (c[0] < 1 || c[0] > 9999) { return ""; }
    return pad(c[0], 4) + "-" + pad(c[1], 2) + "-" + pad(c[2], 2);
  }

  function formatDate(value, pattern, language) {
    var y, m, d, h, mi, sec, ms;
    if (typeof value === "string") {
      var p = dateParts(value);
      if (!p) { return ""; }
      y = p[0]; m = p[1]; d = p[2]; h = p[3]; mi = p[4]; sec = p[5]; ms = p[6];
    } else {
      if (!isFinite(value)) { return ""; }
      var c = civilFromDays(Math.floor(value));
      if (c[0] < 1 || c[0] > 9999) { return ""; }
      y = c[0]; m = c[1]; d = c[2];
      var total = Math.floor((value - Math.floor(value)) * 86400000 + 0.5);
      h = fdiv(total, 3600000); mi = fdiv(total, 60000) % 60; sec = fdiv(total, 1000) % 60; ms = total % 1000;
    }
    var names = language === "lo" ? "lo" : "en";
    var weekday = ((daysFromCivil(y, m, d) + 3) % 7 + 7) % 7;
    var fields = {
      Y: pad(y, 4), y: pad(y % 100, 2), m: pad(m, 2), n: String(m), b: MONTHS[names][m - 1],
      d: pad(d, 2), e: String(d), a: WEEKDAYS[names][weekday], H: pad(h, 2), h: String(h),
      M: pad(mi, 2), S: pad(sec, 2), "3": pad(ms, 3), "%": "%"
    };
    return pattern.replace(/%([\s\S])/g, function (all, key) { return has(fields, key) ? fields[key] : all; });
  }

  root.ReadinessExprDates = {
    dateParts: dateParts, dateNumber: dateNumber, dateText: dateText, formatDate: formatDate,
    pad: pad, fdiv: fdiv
  };
})(typeof window !== "undefined" ? window : globalThis);
