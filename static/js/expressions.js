/*
 * The browser mirror of surveys/expressions.py: the same XLSForm expression subset, parsed by a
 * small recursive-descent parser (no eval, no Function) and evaluated with the same ODK
 * semantics, for live skip logic on the filling screens. The server stays authoritative.
 *
 *   window.ReadinessExpr.evaluate(expr, values, current) -> boolean | number | string
 *   window.ReadinessExpr.evaluateBool(expr, values, current) -> boolean
 *   window.ReadinessExpr.references(expr) -> array of question names
 *   window.ReadinessExpr.toText(value) -> XPath's string() of a value (what a calculate stores)
 *
 * `values` maps question code to its answer: number, string, array of strings (multiple
 * choice), null when unanswered; a count-by-sex question `q` is given as q_f and q_m.
 * Errors throw an ExpressionError (name "ExpressionError").
 */
(function (root) {
  "use strict";

  var MAX_LENGTH = 4000;
  var MAX_DEPTH = 60;
  var MANY = 1000;
  // surveys/expressions/catalog.py: name -> [least, most] arguments.
  var FUNCTIONS = {
    "not": [1, 1], "true": [0, 0], "false": [0, 0], "boolean": [1, 1], "string": [1, 1],
    "number": [1, 1], "selected": [2, 2], "count-selected": [1, 1], "selected-at": [2, 2],
    "jr:choice-name": [2, 2], "if": [3, 3], "coalesce": [2, 2], "once": [1, 1],
    "string-length": [1, 1], "concat": [0, MANY], "substr": [2, 3], "contains": [2, 2],
    "starts-with": [2, 2], "ends-with": [2, 2], "regex": [2, 2], "int": [1, 1],
    "round": [1, 2], "floor": [1, 1], "ceiling": [1, 1], "abs": [1, 1], "sqrt": [1, 1], "pi": [0, 0], "pow": [2, 2],
    "min": [1, MANY], "max": [1, MANY], "today": [0, 0], "now": [0, 0], "date": [1, 1],
    "decimal-date-time": [1, 1], "format-date": [2, 2]
  };
  var REPEAT_FUNCTIONS = {"sum": true, "count": true, "position": true, "indexed-repeat": true};
  var ROUNDING_FUNCTIONS = {};
  ["sin", "cos", "tan", "asin", "acos", "atan", "atan2", "exp", "exp10", "log", "log10"].forEach(
    function (name) { ROUNDING_FUNCTIONS[name] = true; });
  // A straight quote closes only on itself; a typographic one on any quote of its family.
  var QUOTES = {
    "'": "'", "\u2018": "'\u2018\u2019", "\u2019": "'\u2018\u2019",
    '"': '"', "\u201c": '"\u201c\u201d', "\u201d": '"\u201c\u201d'
  };
  var SPACES = " \t\n\r\u00a0";
  // regex() and dates live in their own files, loaded before this one.
  var Regex = root.ReadinessExprRegex;
  var Dates = root.ReadinessExprDates;
  var XPATH_SPACE_RE = /[ \t\n\r]+/;
  var NAME_RE = /(?:jr:)?[A-Za-z_][A-Za-z0-9_.\-]*/y;
  var REF_RE = /\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}/y;
  var NUMBER_RE = /[0-9]+(?:\.[0-9]*)?|\.[0-9]+/y;
  var NUMERIC_STRING_RE = /^[ \t\n\r]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*$/;
  var OPERATORS = ["!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ","];

  function ExpressionError(message, position) {
    this.name = "ExpressionError";
    this.message = message;
    this.position = position;
  }
  ExpressionError.prototype = Object.create(Error.prototype);

  function sticky(re, text, i) {
    re.lastIndex = i;
    return re.exec(text);
  }

  function isSpace(ch) {
    return SPACES.indexOf(ch) >= 0;
  }

  function tokenize(text) {
    var tokens = [];
    var i = 0;
    var match;
    while (i < text.length) {
      var ch = text[i];
      if (isSpace(ch)) { i += 1; continue; }
      if (ch === "$") {
        match = sticky(REF_RE, text, i);
        if (!match) { throw new ExpressionError("A reference must look like ${question_name}.", i); }
        tokens.push({kind: "ref", text: match[1], position: i});
        i += match[0].length;
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(QUOTES, ch)) {
        var closing = QUOTES[ch];
        var end = i + 1;
        while (end < text.length && closing.indexOf(text[end]) < 0) { end += 1; }
        if (end >= text.length) { throw new ExpressionError("A text in quotes is not closed.", i); }
        tokens.push({kind: "string", text: text.slice(i + 1, end), position: i});
        i = end + 1;
        continue;
      }
      match = sticky(NUMBER_RE, text, i);
      if (match) {
        tokens.push({kind: "number", text: match[0], position: i});
        i += match[0].length;
        continue;
      }
      if (ch === ".") {
        if (text.slice(i, i + 2) === "..") { throw new ExpressionError("'..' is not supported.", i); }
        tokens.push({kind: "dot", text: ".", position: i});
        i += 1;
        continue;
      }
      match = sticky(NAME_RE, text, i);
      if (match) {
        tokens.push({kind: "name", text: match[0], position: i});
        i += match[0].length;
        continue;
      }
      var found = null;
      for (var k = 0; k < OPERATORS.length; k++) {
        if (text.slice(i, i + OPERATORS[k].length) === OPERATORS[k]) { found = OPERATORS[k]; break; }
      }
      if (found === null) { throw new ExpressionError("Unexpected character.", i); }
      tokens.push({kind: "op", text: found, position: i});
      i += found.length;
    }
    tokens.push({kind: "end", text: "", position: text.length});
    return tokens;
  }

  function Parser(text, columns) {
    this.columns = columns === true; // a choice_filter: bare names are the choice's columns
    this.tokens = tokenize(text);
    this.index = 0;
    this.nesting = 0;
  }

  Parser.prototype.token = function () { return this.tokens[this.index]; };
  Parser.prototype.advance = function () { return this.tokens[this.index++]; };
  Parser.prototype.is = function (kind) {
    var token = this.token();
    if (token.kind !== kind) { return false; }
    if (arguments.length === 1) { return true; }
    for (var i = 1; i < arguments.length; i++) { if (token.text === arguments[i]) { return true; } }
    return false;
  };
  Parser.prototype.fail = function () {
    var token = this.token();
    if (token.kind === "end") { throw new ExpressionError("The expression ends too early.", token.position); }
    throw new ExpressionError("Unexpected '" + token.text + "'.", token.position);
  };
  Parser.prototype.expect = function (text) {
    if (!this.is("op", text)) { this.fail(); }
    this.advance();
  };
  Parser.prototype.binary = function (op, left, right, position) {
    var depth = Math.max(left.depth, right.depth) + 1;
    if (depth > MAX_DEPTH) { throw new ExpressionError("The expression is too deeply nested.", position); }
    return {type: "binary", depth: depth, op: op, left: left, right: right};
  };
  Parser.prototype.parse = function () {
    var node = this.or();
    if (!this.is("end")) { this.fail(); }
    return node;
  };
  Parser.prototype.or = function () {
    this.nesting += 1;
    if (this.nesting > MAX_DEPTH) { throw new ExpressionError("The expression is too deeply nested.", this.token().position); }
    var node = this.and();
    while (this.is("name", "or")) {
      var position = this.advance().position;
      node = this.binary("or", node, this.and(), position);
    }
    this.nesting -= 1;
    return node;
  };
  Parser.prototype.and = function () {
    var node = this.compare();
    while (this.is("name", "and")) {
      var position = this.advance().position;
      node = this.binary("and", node, this.compare(), position);
    }
    return node;
  };
  Parser.prototype.compare = function () {
    var node = this.sum();
    while (this.is("op", "=", "!=", "<", "<=", ">", ">=")) {
      var token = this.advance();
      node = this.binary(token.text, node, this.sum(), token.position);
    }
    return node;
  };
  Parser.prototype.sum = function () {
    var node = this.product();
    while (this.is("op", "+", "-")) {
      var token = this.advance();
      node = this.binary(token.text, node, this.product(), token.position);
    }
    return node;
  };
  Parser.prototype.product = function () {
    var node = this.unary();
    while (this.is("op", "*") || this.is("name", "div", "mod")) {
      var token = this.advance();
      node = this.binary(token.text, node, this.unary(), token.position);
    }
    return node;
  };
  Parser.prototype.unary = function () {
    if (this.is("op", "-")) {
      var position = this.advance().position;
      this.nesting += 1;
      if (this.nesting > MAX_DEPTH) { throw new ExpressionError("The expression is too deeply nested.", position); }
      var operand = this.unary();
      this.nesting -= 1;
      return {type: "negate", depth: operand.depth + 1, operand: operand};
    }
    return this.primary();
  };
  Parser.prototype.primary = function () {
    var token = this.token();
    if (token.kind === "number") { this.advance(); return {type: "literal", depth: 1, value: parseFloat(token.text)}; }
    if (token.kind === "string") { this.advance(); return {type: "literal", depth: 1, value: token.text}; }
    if (token.kind === "ref") { this.advance(); return {type: "ref", depth: 1, name: token.text}; }
    if (token.kind === "dot") { this.advance(); return {type: "current", depth: 1}; }
    if (this.is("op", "(")) {
      this.advance();
      var node = this.or();
      this.expect(")");
      return node;
    }
    if (token.kind === "name") { return this.call(); }
    return this.fail();
  };
  Parser.prototype.call = function () {
    var token = this.advance();
    var name = token.text;
    if (!this.is("op", "(") && this.columns) { return {type: "column", depth: 1, name: name}; }
    if (!this.is("op", "(")) { throw new ExpressionError("'" + name + "' is not understood here.", token.position); }
    if (REPEAT_FUNCTIONS[name] === true) {
      throw new ExpressionError("'" + name + "()' works over a repeat.", token.position);
    }
    if (ROUNDING_FUNCTIONS[name] === true) {
      throw new ExpressionError("'" + name + "()' is computed differently by server and browser.", token.position);
    }
    if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
      throw new ExpressionError("The function '" + name + "()' is not supported.", token.position);
    }
    this.advance();
    var args = [];
    if (!this.is("op", ")")) {
      args.push(this.or());
      while (this.is("op", ",")) { this.advance(); args.push(this.or()); }
    }
    this.expect(")");
    var arity = FUNCTIONS[name];
    if (args.length < arity[0] || args.length > arity[1]) {
      throw new ExpressionError("Wrong number of arguments for '" + name + "()'.", token.position);
    }
    checkCall(name, args, token.position);
    var depth = 1;
    for (var i = 0; i < args.length; i++) { depth = Math.max(depth, args[i].depth + 1); }
    if (depth > MAX_DEPTH) { throw new ExpressionError("The expression is too deeply nested.", token.position); }
    return {type: "call", depth: depth, name: name, args: args};
  };

  var cache = Object.create(null);

  function parse(expr, columns) {
    if (typeof expr !== "string") { throw new ExpressionError("An expression must be text.", 0); }
    if (expr.length > MAX_LENGTH) { throw new ExpressionError("The expression is too long.", 0); }
    if (!trimSpaces(expr)) { throw new ExpressionError("The expression is empty.", 0); }
    var key = (columns === true ? "c:" : "e:") + expr;
    if (!(key in cache)) { cache[key] = new Parser(expr, columns).parse(); }
    return cache[key];
  }

  function trimSpaces(text) {
    var start = 0, end = text.length;
    while (start < end && SPACES.indexOf(text[start]) >= 0) { start += 1; }
    while (end > start && SPACES.indexOf(text[end - 1]) >= 0) { end -= 1; }
    return text.slice(start, end);
  }

  function trimXPath(text) {
    return text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "");
  }

  function choiceNameTarget(node) {
    if (node.type !== "literal" || typeof node.value !== "string") { return null; }
    var match = /^\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}$/.exec(trimSpaces(node.value));
    return match ? match[1] : null;
  }

  // surveys/expressions/catalog.check_call: what the two evaluators could not agree on.
  function checkCall(name, args, position) {
    if (name === "regex") {
      var pattern = args[1];
      if (pattern.type !== "literal" || typeof pattern.value !== "string") {
        throw new ExpressionError("The pattern of regex() must be written in quotes.", position);
      }
      try { Regex.translate(pattern.value); } catch (e) {
        if (e instanceof Regex.Refused) { throw new ExpressionError("The pattern cannot be used.", position); }
        throw e;
      }
    }
    if (name === "jr:choice-name" && choiceNameTarget(args[1]) === null) {
      throw new ExpressionError("jr:choice-name() takes the question in quotes.", position);
    }
  }

  // --- values ---------------------------------------------------------------------------

  function fromJs(raw) {
    if (raw === null || raw === undefined) { return ""; }
    if (typeof raw === "boolean" || typeof raw === "number" || typeof raw === "string") { return raw; }
    if (Array.isArray(raw)) { return raw.map(function (item) { return toString(fromJs(item)); }).join(" "); }
    return String(raw);
  }

  function toNumber(value) {
    if (typeof value === "boolean") { return value ? 1 : 0; }
    if (typeof value === "number") { return value; }
    return NUMERIC_STRING_RE.test(value) ? parseFloat(value) : Dates.dateNumber(value);
  }

  function toString(value) {
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (typeof value === "number") {
      if (isNaN(value)) { return "NaN"; }
      if (!isFinite(value)) { return value > 0 ? "Infinity" : "-Infinity"; }
      return String(value);
    }
    return value;
  }

  function toBool(value) {
    if (typeof value === "boolean") { return value; }
    if (typeof value === "number") { return !(value === 0 || isNaN(value)); }
    return value.length > 0;
  }

  function has(values, name) {
    return Object.prototype.hasOwnProperty.call(values, name);
  }

  function lookup(name, values) {
    if (has(values, name)) { return fromJs(values[name]); }
    // A count-by-sex question `q` is stored as q_f and q_m; `${q}` is their total.
    var women = has(values, name + "_f") ? values[name + "_f"] : null;
    var men = has(values, name + "_m") ? values[name + "_m"] : null;
    if ((women === null || women === undefined) && (men === null || men === undefined)) { return ""; }
    var total = 0;
    [women, men].forEach(function (part) {
      if (part !== null && part !== undefined) { total += toNumber(fromJs(part)); }
    });
    return total;
  }

  function compare(op, left, right) {
    if (op === "=" || op === "!=") {
      var equal;
      if (typeof left === "boolean" || typeof right === "boolean") {
        equal = toBool(left) === toBool(right);
      } else if (typeof left === "number" || typeof right === "number") {
        equal = toNumber(left) === toNumber(right);
      } else {
        equal = left === right;
      }
      return op === "=" ? equal : !equal;
    }
    var a = toNumber(left);
    var b = toNumber(right);
    if (op === "<") { return a < b; }
    if (op === "<=") { return a <= b; }
    if (op === ">") { return a > b; }
    return a >= b;
  }

  function arithmetic(op, left, right) {
    var a = toNumber(left);
    var b = toNumber(right);
    if (op === "+") { return a + b; }
    if (op === "-") { return a - b; }
    if (op === "*") { return a * b; }
    if (op === "div") { return a / b; }
    if (b === 0 || !isFinite(a) || isNaN(b)) { return NaN; }
    if (!isFinite(b)) { return a; }
    return a % b;
  }

  function choices(value) {
    var text = trimXPath(toString(value));
    return text ? text.split(XPATH_SPACE_RE) : [];
  }

  // --- functions: surveys/expressions/functions.py, one small function each ---------------

  function codePoints(text) { return Array.from(text); }
  function trunc(n) { return n < 0 ? Math.ceil(n) : Math.floor(n); }

  function roundTo(value, places) {
    if (!isFinite(value) || !isFinite(places)) { return !isFinite(value) ? value : NaN; }
    places = trunc(places);
    if (Math.abs(places) > 15) { return NaN; }
    var scale = Math.pow(10, Math.abs(places));
    return places >= 0 ? Math.floor(value * scale + 0.5) / scale : Math.floor(value / scale + 0.5) * scale;
  }

  function substr(text, start, end) {
    var chars = codePoints(text);
    if (isNaN(start) || isNaN(end)) { return ""; }
    start = Math.min(Math.max(start, 0), chars.length);
    end = Math.min(Math.max(end, start), chars.length);
    return chars.slice(trunc(start), trunc(end)).join("");
  }

  function selectedAt(value, index) {
    var chosen = choices(value);
    if (!isFinite(index)) { return ""; }
    index = trunc(index);
    return index >= 0 && index < chosen.length ? chosen[index] : "";
  }

  function choiceName(env, args) {
    var value = trimXPath(toString(env.value(args[0])));
    var byValue = (env.context.choices || {})[choiceNameTarget(args[1])] || {};
    var labels = has(byValue, value) ? byValue[value] : null;
    if (!labels) { return ""; }
    if (labels[env.context.language]) { return labels[env.context.language]; }
    var keys = Object.keys(labels);
    return keys.length ? labels[keys[0]] : "";
  }

  function extreme(pick) {
    return function (env, args) {
      var numbers = args.map(function (a) { return toNumber(env.value(a)); });
      if (numbers.some(function (n) { return isNaN(n); })) { return NaN; }
      return pick.apply(Math, numbers);
    };
  }

  function clock(env) {
    if (env.context.now) { return env.context.now; }
    var now = new Date();
    var offset = -now.getTimezoneOffset();
    var local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, 23);
    var sign = offset < 0 ? "-" : "+";
    return local + sign + Dates.pad(Dates.fdiv(Math.abs(offset), 60), 2) + ":" + Dates.pad(Math.abs(offset) % 60, 2);
  }

  function text(env, node) { return toString(env.value(node)); }

  var CALLS = {
    "not": function (env, a) { return !toBool(env.value(a[0])); },
    "true": function () { return true; },
    "false": function () { return false; },
    "boolean": function (env, a) { return toBool(env.value(a[0])); },
    "string": function (env, a) { return text(env, a[0]); },
    "number": function (env, a) { return toNumber(env.value(a[0])); },
    "selected": function (env, a) { return choices(env.value(a[0])).indexOf(trimXPath(text(env, a[1]))) >= 0; },
    "count-selected": function (env, a) { return choices(env.value(a[0])).length; },
    "selected-at": function (env, a) { return selectedAt(env.value(a[0]), toNumber(env.value(a[1]))); },
    "jr:choice-name": choiceName,
    "if": function (env, a) { return toBool(env.value(a[0])) ? env.value(a[1]) : env.value(a[2]); },
    "coalesce": function (env, a) { var first = env.value(a[0]); return toString(first) !== "" ? first : env.value(a[1]); },
    "once": function (env, a) { return toString(env.current) !== "" ? env.current : env.value(a[0]); },
    "string-length": function (env, a) { return codePoints(text(env, a[0])).length; },
    "concat": function (env, a) { return a.map(function (n) { return text(env, n); }).join(""); },
    "substr": function (env, a) {
      var value = text(env, a[0]);
      var end = a.length > 2 ? toNumber(env.value(a[2])) : codePoints(value).length;
      return substr(value, toNumber(env.value(a[1])), end);
    },
    "contains": function (env, a) { return text(env, a[0]).indexOf(text(env, a[1])) >= 0; },
    "starts-with": function (env, a) { return text(env, a[0]).startsWith(text(env, a[1])); },
    "ends-with": function (env, a) { return text(env, a[0]).endsWith(text(env, a[1])); },
    "regex": function (env, a) { return Regex.translate(a[1].value).test(text(env, a[0])); },
    "int": function (env, a) { var n = toNumber(env.value(a[0])); return isFinite(n) ? trunc(n) + 0 : n; },
    "round": function (env, a) {
      return roundTo(toNumber(env.value(a[0])), a.length > 1 ? toNumber(env.value(a[1])) : 0);
    },
    "floor": function (env, a) { return Math.floor(toNumber(env.value(a[0]))); },
    "ceiling": function (env, a) { return Math.ceil(toNumber(env.value(a[0]))); },
    "abs": function (env, a) { return Math.abs(toNumber(env.value(a[0]))); },
    "sqrt": function (env, a) { return Math.sqrt(toNumber(env.value(a[0]))); },
    "pi": function () { return Math.PI; },
    "pow": function (env, a) { return Math.pow(toNumber(env.value(a[0])), toNumber(env.value(a[1]))); },
    "min": extreme(Math.min),
    "max": extreme(Math.max),
    "today": function (env) { return clock(env).slice(0, 10); },
    "now": function (env) { return clock(env); },
    "date": function (env, a) {
      var value = env.value(a[0]);
      if (typeof value === "string" && Dates.dateParts(value)) { return trimXPath(value).slice(0, 10); }
      return Dates.dateText(toNumber(value));
    },
    "decimal-date-time": function (env, a) { return toNumber(env.value(a[0])); },
    "format-date": function (env, a) {
      var value = env.value(a[0]);
      if (typeof value !== "string" || !Dates.dateParts(value)) { value = toNumber(value); }
      return Dates.formatDate(value, text(env, a[1]), env.context.language);
    }
  };

  function Env(values, current, context, row) {
    this.values = values;
    this.current = current;
    this.context = context || {};
    this.row = row || {};
  }

  Env.prototype.value = function (node) {
    switch (node.type) {
      case "literal": return node.value;
      case "ref": return lookup(node.name, this.values);
      case "current": return this.current;
      case "negate": return -toNumber(this.value(node.operand));
      case "call": return CALLS[node.name](this, node.args);
      case "column": return has(this.row, node.name) ? this.row[node.name] : "";
      default: {
        if (node.op === "and") { return toBool(this.value(node.left)) && toBool(this.value(node.right)); }
        if (node.op === "or") { return toBool(this.value(node.left)) || toBool(this.value(node.right)); }
        var left = this.value(node.left);
        var right = this.value(node.right);
        if (["=", "!=", "<", "<=", ">", ">="].indexOf(node.op) >= 0) { return compare(node.op, left, right); }
        return arithmetic(node.op, left, right);
      }
    }
  };

  // context: {now: ISO text with offset (default: this device's clock), language: "lo"/"en",
  // choices: {code: {value: {language: label}}}} (surveys/expressions/evaluation.Context).
  function evaluate(expr, values, current, context) {
    if (typeof expr === "string" && !trimSpaces(expr)) { return true; }
    return new Env(values || {}, fromJs(current), context).value(parse(expr));
  }

  function references(expr) {
    var found = {};
    var stack = [parse(expr)];
    while (stack.length) {
      var node = stack.pop();
      if (node.type === "ref") { found[node.name] = true; }
      else if (node.type === "negate") { stack.push(node.operand); }
      else if (node.type === "binary") { stack.push(node.left, node.right); }
      else if (node.type === "call") {
        Array.prototype.push.apply(stack, node.args);
        if (node.name === "jr:choice-name") { found[choiceNameTarget(node.args[1])] = true; }
      }
    }
    return Object.keys(found);
  }

  // surveys/expressions/evaluation.choice_allowed: does a choice (row: its columns, "name" its
  // value) pass a choice_filter over the answers?
  function choiceAllowed(filter, values, row, context) {
    if (!trimSpaces(filter)) { return true; }
    return toBool(new Env(values || {}, "", context, row).value(parse(filter, true)));
  }

  root.ReadinessExpr = {
    evaluate: evaluate,
    choiceAllowed: choiceAllowed,
    evaluateBool: function (expr, values, current, context) {
      return toBool(evaluate(expr, values, current, context));
    },
    references: references,
    toText: toString,
    parse: parse,
    ExpressionError: ExpressionError
  };
})(typeof window !== "undefined" ? window : globalThis);
