/* The file inputs of templates/bootstrap5/layout/field_file.html: shows the chosen file's name
   (or the translated "No file chosen") beside the translated button. */
(function () {
  'use strict';
  function show(input) {
    var name = document.getElementById(input.id + '-chosen');
    if (!name) { return; }
    var files = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    name.textContent = files.length ? files.join(', ') : name.dataset.empty;
  }
  document.querySelectorAll('.file-picker-input').forEach(function (input) {
    if (input.dataset.pickerReady) { return; }
    input.dataset.pickerReady = '1';
    input.addEventListener('change', function () { show(input); });
    show(input);
  });
})();
