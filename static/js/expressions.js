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
  var FUNCTIONS = {
    "not": [1, 1], "true": [0, 0], "false": [0, 0], "selected": [2, 2],
    "count-selected": [1, 1], "if": [3, 3], "string-length": [1, 1], "number": [1, 1],
    "coalesce": [2, 2]
  };
  var QUOTES = {
    "'": "'\u2018\u2019", "\u2018": "'\u2018\u2019", "\u2019": "'\u2018\u2019",
    '"': '"\u201c\u201d', "\u201c": '"\u201c\u201d', "\u201d": '"\u201c\u201d'
  };
  var NAME_RE = /[A-Za-z_][A-Za-z0-9_.\-]*/y;
  var REF_RE = /\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}/y;
  var NUMBER_RE = /\d+(?:\.\d*)?|\.\d+/y;
  var NUMERIC_STRING_RE = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;
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
    return /\s/.test(ch);
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

  function Parser(text) {
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
    if (!this.is("op", "(")) { throw new ExpressionError("'" + name + "' is not understood here.", token.position); }
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
    var depth = 1;
    for (var i = 0; i < args.length; i++) { depth = Math.max(depth, args[i].depth + 1); }
    if (depth > MAX_DEPTH) { throw new ExpressionError("The expression is too deeply nested.", token.position); }
    return {type: "call", depth: depth, name: name, args: args};
  };

  var cache = Object.create(null);

  function parse(expr) {
    if (typeof expr !== "string") { throw new ExpressionError("An expression must be text.", 0); }
    if (expr.length > MAX_LENGTH) { throw new ExpressionError("The expression is too long.", 0); }
    if (!expr.trim()) { throw new ExpressionError("The expression is empty.", 0); }
    if (!(expr in cache)) { cache[expr] = new Parser(expr).parse(); }
    return cache[expr];
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
    return NUMERIC_STRING_RE.test(value) ? parseFloat(value) : NaN;
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
    var text = toString(value).trim();
    return text ? text.split(/\s+/) : [];
  }

  function call(node, values, current) {
    var args = node.args;
    function arg(i) { return evalNode(args[i], values, current); }
    switch (node.name) {
      case "not": return !toBool(arg(0));
      case "true": return true;
      case "false": return false;
      case "selected": return choices(arg(0)).indexOf(toString(arg(1)).trim()) >= 0;
      case "count-selected": return choices(arg(0)).length;
      case "if": return toBool(arg(0)) ? arg(1) : arg(2);
      case "string-length": return Array.from(toString(arg(0))).length;
      case "number": return toNumber(arg(0));
      default: {
        var first = arg(0);
        return toString(first) !== "" ? first : arg(1);
      }
    }
  }

  function evalNode(node, values, current) {
    switch (node.type) {
      case "literal": return node.value;
      case "ref": return lookup(node.name, values);
      case "current": return current;
      case "negate": return -toNumber(evalNode(node.operand, values, current));
      case "call": return call(node, values, current);
      default: {
        if (node.op === "and") {
          return toBool(evalNode(node.left, values, current)) && toBool(evalNode(node.right, values, current));
        }
        if (node.op === "or") {
          return toBool(evalNode(node.left, values, current)) || toBool(evalNode(node.right, values, current));
        }
        var left = evalNode(node.left, values, current);
        var right = evalNode(node.right, values, current);
        if (["=", "!=", "<", "<=", ">", ">="].indexOf(node.op) >= 0) { return compare(node.op, left, right); }
        return arithmetic(node.op, left, right);
      }
    }
  }

  function evaluate(expr, values, current) {
    if (typeof expr === "string" && !expr.trim()) { return true; }
    return evalNode(parse(expr), values || {}, fromJs(current));
  }

  function references(expr) {
    var found = {};
    var stack = [parse(expr)];
    while (stack.length) {
      var node = stack.pop();
      if (node.type === "ref") { found[node.name] = true; }
      else if (node.type === "negate") { stack.push(node.operand); }
      else if (node.type === "binary") { stack.push(node.left, node.right); }
      else if (node.type === "call") { Array.prototype.push.apply(stack, node.args); }
    }
    return Object.keys(found);
  }

  root.ReadinessExpr = {
    evaluate: evaluate,
    evaluateBool: function (expr, values, current) { return toBool(evaluate(expr, values, current)); },
    references: references,
    toText: toString,
    parse: parse,
    ExpressionError: ExpressionError
  };
})(typeof window !== "undefined" ? window : globalThis);
