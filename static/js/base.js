// Behaviour every page shares, loaded by templates/base.html (no inline script: the
// Content-Security-Policy allows scripts from our static files only).
(function () {
  "use strict";
  // htmx requests carry the CSRF token that the page's <meta name="csrf-token"> holds.
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    document.body.addEventListener("htmx:configRequest", function (event) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    });
  }
  // A read-only field marked data-select-on-click is selected whole on a click (share links).
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-select-on-click]")) { target.select(); }
  });
  // A form marked data-no-submit never leaves the page (the questionnaire preview).
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-no-submit]")) {
      event.preventDefault();
    }
  });
})();
