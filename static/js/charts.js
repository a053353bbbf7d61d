/* Draws the dashboard figures (Plotly JSON built by the server, reports/dashboards/charts.py)
   with the locally served plotly.js; a click on a bar, cell or point that carries a link
   (customdata) opens it: the drill-down. */
(function () {
  'use strict';
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };
  document.querySelectorAll('[data-figure]').forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.on('plotly_click', function (event) {
        var point = event.points && event.points[0];
        var link = point && point.customdata;
        if (typeof link === 'string' && link) { window.location.href = link; }
      });
    });
  });
})();
