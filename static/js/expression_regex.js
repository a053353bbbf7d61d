/*
 * regex() patterns in the one dialect Python's `re` and the browser's RegExp agree on: the
 * mirror of surveys/expressions/regex.py, emitting the RegExp ("u" flag) dialect. A pattern
 * outside it throws ReadinessExprRegex.Refused (the import refuses such an expression).
 */
(function (root) {
  "use strict";

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function sticky(re, text, i) { re.lastIndex = i; return re.exec(text); }

  var REGEX_SYNTAX = "\\^$.|?*+()[]{}/-";
  var CLASS_ESCAPES = {d: "0-9", w: "A-Za-z0-9_", s: " \\t\\n\\r\\f\\v"};
  var ESCAPES = {
    d: "[0-9]", D: "[^0-9]", w: "[A-Za-z0-9_]", W: "[^A-Za-z0-9_]",
    s: "[ \\t\\n\\r\\f\\v]", S: "[^ \\t\\n\\r\\f\\v]", t: "\\t", n: "\\n", r: "\\r"
  };
  var LITERAL = {".": "[^\\n\\r\\u2028\\u2029]", "$": "$", "]": "\\]", "{": "\\{", "}": "\\}"};
  var QUANTIFIER_RE = /\{[0-9]+(?:,[0-9]*)?\}/y;
  var regexCache = Object.create(null);

  function RegexRefused(reason) { this.reason = reason; }

  function regexClass(pattern, i) {
    var out = "[";
    i += 1;
    if (pattern[i] === "^") { out = "[^"; i += 1; }
    if (pattern[i] === "]") { throw new RegexRefused("[]"); }
    while (i < pattern.length && pattern[i] !== "]") {
      var ch = pattern[i];
      if (ch === "[") { throw new RegexRefused("[ in a class"); }
      if (ch === "\\") {
        var escaped = pattern.slice(i + 1, i + 2);
        if (has(CLASS_ESCAPES, escaped)) { out += CLASS_ESCAPES[escaped]; }
        else if ((escaped && REGEX_SYNTAX.indexOf(escaped) >= 0) || "tnr".indexOf(escaped) >= 0 && escaped) {
          out += "\\" + escaped;
        } else { throw new RegexRefused("\\" + escaped); }
        i += 2;
        continue;
      }
      // A Lao letter or any other character stands for itself (code points, with the "u" flag).
      out += ch;
      i += 1;
    }
    if (i >= pattern.length) { throw new RegexRefused("[ not closed"); }
    return [out + "]", i + 1];
  }

  function regexEscape(pattern, i) {
    var escaped = pattern.slice(i + 1, i + 2);
    if (has(ESCAPES, escaped)) { return ESCAPES[escaped]; }
    if (escaped && REGEX_SYNTAX.indexOf(escaped) >= 0) { return "\\" + escaped; }
    throw new RegexRefused("\\" + escaped);
  }

  function regexQuantifier(pattern, i) {
    if ("*+?".indexOf(pattern[i]) >= 0) { return pattern[i]; }
    var match = sticky(QUANTIFIER_RE, pattern, i);
    return match ? match[0] : null;
  }

  function translateRegex(pattern) {
    if (has(regexCache, pattern)) { return regexCache[pattern]; }
    var out = [], groups = [], last = "", i = 0;
    while (i < pattern.length) {
      var ch = pattern[i];
      var quantifier = regexQuantifier(pattern, i);
      if (quantifier) {
        if (last === "lazy" || (last === "quantifier" && quantifier !== "?")) { throw new RegexRefused("quantifiers"); }
        if (last === "group") { throw new RegexRefused("nested repeat"); }
        if (last === "" || last === "anchor") { throw new RegexRefused("nothing to repeat"); }
        out.push(quantifier);
        if (groups.length) { groups[groups.length - 1] = true; }
        last = last !== "quantifier" ? "quantifier" : "lazy";
        i += quantifier.length;
        continue;
      }
      last = "atom";
      if (ch === "\\") { out.push(regexEscape(pattern, i)); i += 2; }
      else if (ch === "[") { var cls = regexClass(pattern, i); out.push(cls[0]); i = cls[1]; }
      else if (ch === "(") {
        if (pattern.slice(i, i + 3) === "(?:") { out.push("(?:"); i += 3; }
        else if (pattern.slice(i, i + 2) === "(?") { throw new RegexRefused("(?"); }
        else { out.push("("); i += 1; }
        groups.push(false);
        last = "anchor";
      } else if (ch === ")") {
        if (!groups.length) { throw new RegexRefused(")"); }
        var held = groups.pop();
        if (held && groups.length) { groups[groups.length - 1] = true; }
        out.push(")");
        last = held ? "group" : "atom";
        i += 1;
      } else {
        out.push(has(LITERAL, ch) ? LITERAL[ch] : ch);
        if ("^|$".indexOf(ch) >= 0) { last = "anchor"; }
        i += 1;
      }
    }
    if (groups.length) { throw new RegexRefused("( not closed"); }
    var compiled;
    try { compiled = new RegExp(out.join(""), "u"); } catch (e) { throw new RegexRefused("syntax"); }
    regexCache[pattern] = compiled;
    return compiled;
  }

  root.ReadinessExprRegex = {translate: translateRegex, Refused: RegexRefused};
})(typeof window !== "undefined" ? window : globalThis);
