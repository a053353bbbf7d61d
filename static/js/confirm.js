// Forms that do something that cannot be undone carry data-confirm="question": the browser asks
// before sending, and the submit button is disabled once confirmed so a double click sends once.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-confirm]")) return;
  if (form.dataset.sent === "1" || !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  // After this event, so a named submit button still sends its value.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  }, 0);
});
// Coming back with the browser's Back button shows the page as it was left: make it usable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    delete form.dataset.sent;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
});
