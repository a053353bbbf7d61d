/* Draws the dashboard figures (Plotly JSON built by the server, reports/dashboards/charts.py)
   with the locally served plotly.js; a click on a bar, cell or point that carries a link
   (customdata) opens it: the drill-down. On a phone, long axis labels are shortened (the hover
   and the data table keep them whole) and the colour bar gives its width to the cells. */
(function () {
  'use strict';
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['select2d', 'lasso2d'] };
  var narrow = window.matchMedia('(max-width: 575.98px)').matches;

  function shorten(text, length) {
    text = String(text);
    return text.length > length ? text.slice(0, length - 1) + '…' : text;
  }

  function shortTicks(axis, values, length) {
    if (!values || !values.length || typeof values[0] !== 'string') { return; }
    var unique = values.filter(function (v, i) { return values.indexOf(v) === i; });
    axis.tickmode = 'array';
    axis.tickvals = unique;
    axis.ticktext = unique.map(function (v) { return shorten(v, length); });
  }

  function forPhones(figure) {
    var layout = figure.layout;
    layout.xaxis = layout.xaxis || {};
    layout.yaxis = layout.yaxis || {};
    figure.data.forEach(function (trace) {
      if (trace.type === 'heatmap') {
        trace.showscale = false;
        shortTicks(layout.xaxis, trace.x, 10);
        layout.xaxis.tickangle = -60;
        shortTicks(layout.yaxis, trace.y, 14);
      } else if (trace.orientation === 'h') {
        shortTicks(layout.yaxis, trace.y, 16);
      }
    });
  }

  document.querySelectorAll('[data-figure]').forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    if (narrow) { forPhones(figure); }
    Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.on('plotly_click', function (event) {
        var point = event.points && event.points[0];
        var link = point && point.customdata;
        if (typeof link === 'string' && link) { window.location.href = link; }
      });
    });
  });
})();
