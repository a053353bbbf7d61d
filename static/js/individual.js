/* Live skip logic on the public page of an individual questionnaire: questions whose
   `relevant` expression is false are hidden (the server ignores their answers anyway). */
(function () {
  "use strict";
  var rulesNode = document.getElementById("individual-rules");
  if (!rulesNode || !window.ReadinessExpr) { return; }
  var rules = JSON.parse(rulesNode.textContent);
  var form = document.getElementById("individual-form");
  if (!form) { return; }

  function number(text) {
    if (text === "" || text === null || text === undefined) { return null; }
    var value = Number(text);
    return isNaN(value) ? null : value;
  }

  // A date is typed day/month/year (readiness/widgets.py); expressions see 2026-12-31, as on
  // the server.
  function isoDate(text) {
    var match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!match) { return String(text || "").trim() === "" ? null : text; }
    var pad = function (part) { return part.length === 1 ? "0" + part : part; };
    return match[3] + "-" + pad(match[2]) + "-" + pad(match[1]);
  }

  function currentValues() {
    var values = {};
    rules.forEach(function (rule) {
      var name = "q-" + rule.code;
      if (rule.kind === "count_by_sex") {
        var women = number((form.elements[name + "-F"] || {}).value);
        var men = number((form.elements[name + "-M"] || {}).value);
        values[rule.code + "_f"] = women;
        values[rule.code + "_m"] = men;
        values[rule.code] = women === null && men === null ? null : (women || 0) + (men || 0);
      } else if (rule.kind === "multiple_choice") {
        values[rule.code] = Array.prototype.filter.call(
          form.querySelectorAll('input[name="' + name + '"]'), function (box) { return box.checked; }
        ).map(function (box) { return box.value; });
      } else if (rule.kind === "integer" || rule.kind === "decimal") {
        values[rule.code] = number((form.elements[name] || {}).value);
      } else if (rule.kind === "date") {
        values[rule.code] = isoDate((form.elements[name] || {}).value);
      } else {
        var field = form.elements[name];
        values[rule.code] = field && field.value !== "" ? field.value : null;
      }
    });
    return values;
  }

  function apply() {
    var values = currentValues();
    rules.forEach(function (rule) {
      if (!rule.relevant) { return; }
      var block = document.getElementById("q-" + rule.code);
      if (!block) { return; }
      var shown = true;
      try { shown = window.ReadinessExpr.evaluateBool(rule.relevant, values); } catch (e) { shown = true; }
      block.hidden = !shown;
    });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  apply();
})();
