/*
 * Switching language keeps what the user typed. The language buttons post to Django's
 * set_language, which reloads the same page in the other language: just before, the values of
 * every form of the page (but hidden fields, files and passwords) are kept in this tab's
 * sessionStorage, and put back into the same forms once the page comes back. Page scripts then
 * see them as if typed (input and change events), so skip logic, totals and autosave follow.
 *
 * A form with data-language-keep="no" is left alone: the filling page saves its answers itself
 * before the switch (static/js/filling.js), and its unsaved copy lives in localStorage.
 */
(function () {
  "use strict";

  var KEY = "readiness:language-keep:" + window.location.pathname + window.location.search;
  var SKIPPED = ["hidden", "file", "password", "submit", "button", "reset", "image"];

  function keptForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return !form.hasAttribute("data-language-switch")
        && form.getAttribute("data-language-keep") !== "no"
        && (form.getAttribute("method") || "get").toLowerCase() === "post"
        && !/\/logout\/?$/.test(form.getAttribute("action") || "");
    });
  }

  function formKey(form, index) { return form.id ? "#" + form.id : String(index); }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && SKIPPED.indexOf(element.type) === -1 && !element.disabled;
    });
  }

  function snapshot() {
    var kept = {};
    keptForms().forEach(function (form, index) {
      var values = {};
      fields(form).forEach(function (element) {
        var list = values[element.name] = values[element.name] || [];
        if (element.type === "radio" || element.type === "checkbox") {
          if (element.checked) { list.push(element.value); }
        } else if (element.tagName === "SELECT") {
          Array.prototype.forEach.call(element.selectedOptions, function (option) { list.push(option.value); });
        } else {
          list.push(element.value);
        }
      });
      kept[formKey(form, index)] = values;
    });
    return kept;
  }

  function restore(kept) {
    keptForms().forEach(function (form, index) {
      var values = kept[formKey(form, index)];
      if (!values) { return; }
      var positions = {};
      fields(form).forEach(function (element) {
        var wanted = values[element.name];
        if (!wanted) { return; }
        var before;
        if (element.type === "radio" || element.type === "checkbox") {
          before = element.checked;
          element.checked = wanted.indexOf(element.value) !== -1;
          if (before === element.checked) { return; }
        } else if (element.tagName === "SELECT") {
          Array.prototype.forEach.call(element.options, function (option) {
            option.selected = wanted.indexOf(option.value) !== -1;
          });
        } else {
          // Several inputs of one name (rare) get their values in order.
          var at = positions[element.name] || 0;
          positions[element.name] = at + 1;
          if (at >= wanted.length || element.value === wanted[at]) { return; }
          element.value = wanted[at];
        }
        element.dispatchEvent(new Event("input", {bubbles: true}));
        element.dispatchEvent(new Event("change", {bubbles: true}));
      });
    });
  }

  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-language-switch")) { return; }
    try { window.sessionStorage.setItem(KEY, JSON.stringify(snapshot())); } catch (e) { /* storage off */ }
  });

  var saved = null;
  try {
    saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    window.sessionStorage.removeItem(KEY);
  } catch (e) { saved = null; }
  if (saved) {
    // After the page's own scripts have set themselves up, so they see the values arrive.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { restore(saved); });
    } else {
      window.setTimeout(function () { restore(saved); }, 0);
    }
  }
})();
