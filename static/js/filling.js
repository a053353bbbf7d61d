/*
 * The filling page: live totals of counts by sex, live skip logic (ReadinessExpr, the mirror
 * of surveys/expressions.py), autosave a few seconds after a change, and a copy of unsaved
 * values in localStorage so a closed tab or a dropped connection loses at most those seconds.
 *
 * The server stays authoritative: it validates, applies skip logic again, and refuses a save
 * made against an older lock_version (409) with a form that lets the user choose per field.
 */
(function () {
  "use strict";

  var AUTOSAVE_DELAY = 3000;
  var RETRY_DELAYS = [5000, 10000, 20000, 40000, 60000];

  function readJson(id, fallback) {
    var node = document.getElementById(id);
    if (!node) { return fallback; }
    try { return JSON.parse(node.textContent); } catch (e) { return fallback; }
  }

  // A conflict form (in the page or on the conflict page) settles the unsaved copy: the user
  // has chosen, so the copy must not come back on the next load.
  document.addEventListener("submit", function (event) {
    var key = event.target.getAttribute && event.target.getAttribute("data-clear-storage");
    if (key) { try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ } }
  });

  var form = document.getElementById("filling-form");
  if (!form) { return; }
  var editable = form.getAttribute("data-editable") === "1";
  var rules = readJson("filling-rules", []);
  var otherValues = readJson("filling-other-values", {});
  var strings = readJson("filling-strings", {});
  var statusLine = document.getElementById("save-status");
  var lockInput = form.querySelector('input[name="lock_version"]');
  // The values the page was loaded with (or last saved): the server saves only the fields
  // that differ from them, so a field left alone never writes back an old value.
  var loadedInput = form.querySelector('input[name="loaded_values"]');
  var storageKey = form.getAttribute("data-storage-key");
  var autosaveUrl = form.getAttribute("data-autosave-url");

  // --- values ---------------------------------------------------------------------------

  function field(name) { return form.elements.namedItem(name); }

  function inputsNamed(name) {
    return Array.prototype.slice.call(form.querySelectorAll('[name="' + name + '"]'));
  }

  function numberOrNull(text) {
    if (text === undefined || text === null || String(text).trim() === "") { return null; }
    var number = Number(text);
    return isNaN(number) ? String(text) : number;
  }

  // A date is typed day/month/year (readiness/widgets.py); expressions see it as the server
  // does, 2026-12-31. Anything else is passed on as typed (the server refuses it).
  function isoDate(text) {
    var match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!match) { return String(text || "").trim() === "" ? null : text; }
    var pad = function (part) { return part.length === 1 ? "0" + part : part; };
    return match[3] + "-" + pad(match[2]) + "-" + pad(match[1]);
  }

  function questionValue(rule, values) {
    var name = "q-" + rule.code;
    if (rule.kind === "note") { return; }
    if (rule.kind === "count_by_sex") {
      var women = field(name + "-F"), men = field(name + "-M");
      values[rule.code + "_f"] = women ? numberOrNull(women.value) : null;
      values[rule.code + "_m"] = men ? numberOrNull(men.value) : null;
      return;
    }
    if (rule.kind === "multiple_choice") {
      values[rule.code] = inputsNamed(name).filter(function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      return;
    }
    if (rule.kind === "single_choice" || rule.kind === "yes_no") {
      var checked = inputsNamed(name).filter(function (i) { return i.checked; })[0];
      values[rule.code] = checked ? checked.value : null;
      return;
    }
    var input = field(name);
    var text = input ? input.value : "";
    if (rule.kind === "integer" || rule.kind === "decimal") {
      values[rule.code] = numberOrNull(text);
    } else if (rule.kind === "date") {
      values[rule.code] = isoDate(text);
    } else {
      values[rule.code] = text.trim() === "" ? null : text;
    }
  }

  function forget(rule, values) {
    delete values[rule.code];
    delete values[rule.code + "_f"];
    delete values[rule.code + "_m"];
  }

  // --- live skip logic and totals ---------------------------------------------------------

  // What expressions see besides the answers, as on the server (rules.expression_context):
  // the page's language and the choice labels of its questions (jr:choice-name, format-date).
  // The calculates' values as stored (what once() keeps): the view sends them with the others.
  var storedCalculates = {};
  rules.forEach(function (rule) {
    if (rule.kind === "calculate" && rule.code in otherValues) { storedCalculates[rule.code] = otherValues[rule.code]; }
  });
  var exprContext = {language: document.documentElement.lang || "lo", choices: {}};
  rules.forEach(function (rule) { if (rule.choices) { exprContext.choices[rule.code] = rule.choices; } });

  // Cascading lists: a choice its question's choice_filter does not offer for the answers
  // above is hidden, and unchecked if it was chosen (the server refuses it, rules._filtered_out).
  function filterChoices(values) {
    rules.forEach(function (rule) {
      if (!rule.choice_filter || rule.elsewhere || !window.ReadinessExpr) { return; }
      inputsNamed("q-" + rule.code).forEach(function (input) {
        var allowed = true;
        try {
          allowed = window.ReadinessExpr.choiceAllowed(
            rule.choice_filter, values, rule.choice_rows[input.value] || {}, exprContext);
        } catch (e) {
          allowed = true; // the server decides; never hide a choice by mistake
        }
        var wrapper = input.closest(".form-check") || input;
        wrapper.hidden = !allowed;
        if (!allowed && input.checked) { input.checked = false; }
      });
    });
  }

  // A calculate's value as the server stores it (surveys/answers/rules.calculated_value).
  function calculated(rule, values) {
    try {
      var text = window.ReadinessExpr.toText(window.ReadinessExpr.evaluate(
        rule.calculation, values, storedCalculates[rule.code] || null, exprContext));
      return text === "" || text === "NaN" ? null : text;
    } catch (e) {
      return null;
    }
  }

  // The walk of surveys/answers/rules.resolve: in order, a question hidden early hides what
  // depends on it, a calculate takes the values at its place; twice when there are calculates
  // (of this page or, "elsewhere", of the others) so one reading a later one settles.
  function applySkipLogic() {
    var calculates = rules.filter(function (rule) { return rule.kind === "calculate"; });
    var computed = {};
    var given = Object.assign({}, otherValues);
    calculates.forEach(function (rule) { delete given[rule.code]; });
    for (var pass = 0; pass < (calculates.length ? 2 : 1); pass += 1) {
      var values = Object.assign({}, given, computed);
      rules.forEach(function (rule) {
        var wrapper = rule.elsewhere ? null : document.getElementById("q-" + rule.code);
        var relevant = true;
        if (rule.relevant && window.ReadinessExpr) {
          try {
            relevant = window.ReadinessExpr.evaluateBool(rule.relevant, values, null, exprContext);
          } catch (e) {
            relevant = true; // the server decides; never hide a question by mistake
          }
        }
        if (wrapper) { wrapper.hidden = !relevant; }
        if (!relevant) { forget(rule, values); return; }
        if (rule.kind === "calculate") {
          var value = window.ReadinessExpr ? calculated(rule, values) : null;
          if (value === null) { delete values[rule.code]; } else { values[rule.code] = value; }
        } else if (!rule.elsewhere) {
          questionValue(rule, values);
        }
      });
      computed = {};
      calculates.forEach(function (rule) {
        if (rule.code in values) { computed[rule.code] = values[rule.code]; }
      });
    }
    filterChoices(values);
  }

  function updateTotals() {
    form.querySelectorAll(".count-by-sex").forEach(function (row) {
      var inputs = row.querySelectorAll("input[type=number]");
      var output = row.querySelector(".count-total");
      var total = 0, any = false, bad = false;
      inputs.forEach(function (input) {
        if (input.value.trim() === "") { return; }
        var n = Number(input.value);
        if (isNaN(n)) { bad = true; } else { total += n; any = true; }
      });
      output.textContent = bad || !any ? "—" : String(total);
    });
  }

  // "Don't know" excludes the other answers of a multiple choice, as the server requires.
  function exclusiveDontKnow(target) {
    if (target.type !== "checkbox") { return; }
    inputsNamed(target.name).forEach(function (other) {
      if (other === target || !target.checked) { return; }
      if (target.hasAttribute("data-dont-know") || other.hasAttribute("data-dont-know")) {
        other.checked = false;
      }
    });
  }

  // --- the unsaved copy -------------------------------------------------------------------

  function entries() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name.indexOf("q-") === 0) { pairs.push([name, String(value)]); }
    });
    return pairs;
  }

  function store(baseLock) {
    try {
      var previous = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      window.localStorage.setItem(storageKey, JSON.stringify({
        entries: entries(),
        lock: previous ? previous.lock : baseLock,
        loaded: previous ? previous.loaded : (loadedInput ? loadedInput.value : null),
        at: Date.now()
      }));
    } catch (e) { /* storage full or disabled: the autosave still runs */ }
  }

  function clearStore() {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function applyEntries(pairs) {
    var byName = {};
    pairs.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.name.indexOf("q-") !== 0) { return; }
      var wanted = byName[input.name] || [];
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = wanted.indexOf(input.value) !== -1;
      } else {
        input.value = wanted.length ? wanted[0] : "";
      }
    });
  }

  // --- saving -----------------------------------------------------------------------------

  var revision = 0;       // bumped on every change
  var savedRevision = 0;  // the last revision the server has
  var timer = null;
  var inFlight = false;
  var blocked = false;    // a conflict or a read-only response: stop until the user acts
  var failures = 0;

  function setStatus(text, tone) {
    if (!statusLine) { return; }
    statusLine.textContent = text || "";
    statusLine.className = "small ms-md-2 " + (tone === "error" ? "text-danger fw-semibold" : tone === "ok" ? "text-success" : "text-muted");
  }

  function schedule(delay) {
    if (blocked) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function showErrors(errors) {
    form.querySelectorAll(".question").forEach(function (wrapper) {
      var code = wrapper.getAttribute("data-code");
      var box = document.getElementById("q-" + code + "-errors");
      var messages = (errors && errors[code]) || [];
      if (box) {
        box.textContent = "";
        messages.forEach(function (message) {
          var line = document.createElement("div");
          line.textContent = message; // server text, shown as text (never as HTML)
          box.appendChild(line);
        });
      }
      wrapper.querySelectorAll("input, textarea").forEach(function (input) {
        input.classList.toggle("is-invalid", messages.length > 0);
      });
    });
  }

  // The rail (folded into a menu on phones, beside the questions on wider screens): counts, and
  // a pillar with an answer that needs a correction is never green.
  function showProgress(progress, invalid) {
    var wrong = (invalid || []).map(String);
    Object.keys(progress || {}).forEach(function (pillarId) {
      var pair = progress[pillarId];
      var state = wrong.indexOf(pillarId) !== -1 ? "invalid" : pair[0] === pair[1] ? "complete" : "partial";
      document.querySelectorAll('[data-pillar="' + pillarId + '"]').forEach(function (item) {
        var badge = item.querySelector(".rail-count");
        var note = item.querySelector(".rail-invalid");
        item.setAttribute("data-state", state);
        if (badge) {
          badge.textContent = pair[0] + "/" + pair[1];
          badge.className = "badge rounded-pill rail-count " + (state === "invalid" ? "text-bg-danger" : state === "complete" ? "text-bg-success" : "text-bg-light border");
        }
        if (note) { note.hidden = state !== "invalid"; }
      });
    });
  }

  function showConflict(html) {
    var panel = document.getElementById("conflict-panel");
    if (!panel) { return; }
    panel.innerHTML = html; // rendered by our server, with every value escaped
    panel.hidden = false;
    var conflictForm = panel.querySelector("form");
    if (conflictForm) { conflictForm.setAttribute("data-clear-storage", storageKey); }
    panel.scrollIntoView({behavior: "smooth", block: "start"});
  }

  var current = null;      // the save on its way, as a promise

  function save() {
    if (inFlight) { return current; }
    if (blocked || revision === savedRevision) { return Promise.resolve(); }
    inFlight = true;
    var sending = revision;
    setStatus(strings.saving);
    var body = new FormData(form);
    var sentEntries = entries();
    current = fetch(autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
    }).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (data) {
        return {status: reply.status, data: data};
      });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 200 && result.data.saved) {
        failures = 0;
        lockInput.value = result.data.lock_version;
        savedRevision = sending;
        showErrors(result.data.errors);
        showProgress(result.data.progress, result.data.invalid);
        var invalid = result.data.errors && Object.keys(result.data.errors).length;
        // What the server now has is the new base; with refused values the old base stays,
        // so those fields are sent again.
        if (!invalid && loadedInput) { loadedInput.value = JSON.stringify(sentEntries); }
        setStatus(invalid ? strings.invalid : result.data.status, invalid ? "error" : "ok");
        if (revision === sending && !invalid) {
          clearStore();
        } else if (revision === sending) {
          // Refused values stay in this device's copy: the user's typing is not lost.
        } else {
          store(lockInput.value);
          schedule(AUTOSAVE_DELAY);
        }
        return;
      }
      if (result.status === 409 && result.data.conflict) {
        blocked = true;
        setStatus(strings.conflict, "error");
        showConflict(result.data.html);
        return;
      }
      if (result.status === 423) {
        blocked = true;
        setStatus(strings.readonly, "error");
        return;
      }
      retry(strings.failed);
    }).catch(function () {
      inFlight = false;
      retry(strings.offline);
    });
    return current;
  }

  // Switching language reloads the page: what is typed is saved first (for at most a few
  // seconds; if the save cannot finish, the copy in localStorage comes back on the new page).
  var switching = false;
  document.addEventListener("submit", function (event) {
    var languageForm = event.target;
    if (!languageForm.hasAttribute || !languageForm.hasAttribute("data-language-switch")) { return; }
    if (switching || !editable || blocked || (revision === savedRevision && !inFlight)) { return; }
    event.preventDefault();
    switching = true;
    window.clearTimeout(timer);
    var submitter = event.submitter;
    var go = function () { languageForm.requestSubmit(submitter); };
    var limit = new Promise(function (resolve) { window.setTimeout(resolve, 5000); });
    var flush = (inFlight ? current : Promise.resolve()).then(function () {
      return revision === savedRevision ? null : save();
    });
    Promise.race([flush, limit]).then(go, go);
  });

  function retry(message) {
    setStatus(message, "error");
    var delay = RETRY_DELAYS[Math.min(failures, RETRY_DELAYS.length - 1)];
    failures += 1;
    schedule(delay);
  }

  function changed() {
    revision += 1;
    if (!editable) { return; }
    store(lockInput.value);
    if (!blocked) { setStatus(strings.unsaved); }
    schedule(AUTOSAVE_DELAY);
  }

  // --- wiring -----------------------------------------------------------------------------

  form.addEventListener("input", function (event) {
    if (!event.target.name || event.target.name.indexOf("q-") !== 0) { return; }
    updateTotals();
    applySkipLogic();
    changed();
  });
  form.addEventListener("change", function (event) {
    if (!event.target.name || event.target.name.indexOf("q-") !== 0) { return; }
    exclusiveDontKnow(event.target);
    updateTotals();
    applySkipLogic();
    // Radios and checkboxes fire only "change"; text fields already counted on "input".
    if (event.target.type === "radio" || event.target.type === "checkbox") { changed(); }
  });
  form.addEventListener("click", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-clear");
    if (!name) { return; }
    inputsNamed(name).forEach(function (input) { input.checked = false; });
    applySkipLogic();
    changed();
  });
  form.addEventListener("submit", function () {
    // An explicit save: the autosave stands down; the unsaved copy stays until the next
    // page load shows the server has the same values.
    window.clearTimeout(timer);
    blocked = true;
  });
  window.addEventListener("online", function () { failures = 0; schedule(0); });
  // Leaving with a change pending: one last save that outlives the page (keepalive); if it
  // does not arrive, the copy in localStorage comes back on the next visit.
  window.addEventListener("pagehide", function () {
    if (!editable || blocked || inFlight || revision === savedRevision) { return; }
    try {
      fetch(autosaveUrl, {
        method: "POST", body: new FormData(form), credentials: "same-origin", keepalive: true,
        headers: {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
      });
    } catch (e) { /* the stored copy covers it */ }
  });

  // Restore what this device had not saved (closed tab, lost connection, server restart).
  function restore() {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.entries) { return; }
    if (!editable || JSON.stringify(saved.entries) === JSON.stringify(entries())) {
      clearStore();
      return;
    }
    applyEntries(saved.entries);
    // Saved against the version the user had: if someone saved since, the server shows the
    // conflict choice instead of overwriting.
    if (saved.lock !== undefined && saved.lock !== null) { lockInput.value = saved.lock; }
    if (loadedInput && typeof saved.loaded === "string") { loadedInput.value = saved.loaded; }
    var notice = document.getElementById("restore-notice");
    if (notice) {
      notice.hidden = false;
      var discard = document.getElementById("restore-discard");
      if (discard) {
        discard.addEventListener("click", function () {
          clearStore();
          window.location.reload();
        });
      }
    }
    revision += 1;
    schedule(500);
  }

  // A link from the check page (or from the list of problems) lands on the question: focus
  // its first field so the user can correct it at once.
  function focusTarget() {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    var wrapper = id.indexOf("q-") === 0 ? document.getElementById(id) : null;
    if (!wrapper || wrapper.hidden) { return; }
    var input = wrapper.querySelector("input:not([type=hidden]), textarea, select");
    if (input) { input.focus({preventScroll: true}); }
    wrapper.scrollIntoView({block: "start"});
  }
  window.addEventListener("hashchange", focusTarget);

  updateTotals();
  applySkipLogic();
  restore();
  updateTotals();
  applySkipLogic();
  // After the browser's own move to the #fragment (which would take the focus back).
  window.addEventListener("load", function () { window.setTimeout(focusTarget, 0); });
})();
