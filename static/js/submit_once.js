// Forms marked data-submit-once send once: their submit buttons are disabled as soon as the
// form leaves (the server refuses a second submit anyway). Coming back with the browser's Back
// button makes them usable again.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-submit-once]") || event.defaultPrevented) { return; }
    // After this event, so a named submit button still sends its value.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submit-once] button[type=submit]").forEach(function (button) {
      button.disabled = button.hasAttribute("data-disabled");
    });
  });
})();
