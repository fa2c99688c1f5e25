// Draws every plotly chart on the page from its JSON data (see parkadmin/charts.py); no inline script needed.
(function () {
  "use strict";
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"] };
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    if (document.body.classList.contains("pa-screen")) {
      // Light text and grid on the dark big screen; the text smaller on a 1366 px screen than on a 1920 px one.
      var layout = figure.layout = figure.layout || {};
      layout.font = Object.assign({}, layout.font, { color: "#e9ecef", size: window.innerWidth >= 1800 ? 15 : 11 });
      Object.keys(layout).filter(function (key) { return /^[xy]axis/.test(key); }).forEach(function (key) {
        layout[key] = Object.assign({}, layout[key], { gridcolor: "#1f3a5a", zerolinecolor: "#1f3a5a" });
      });
      layout.yaxis = Object.assign({ gridcolor: "#1f3a5a" }, layout.yaxis);
    }
    window.Plotly.newPlot(element, figure.data || [], figure.layout || {}, config).then(function () {
      // Drill-down: a point whose customdata is one of our URLs opens it.
      element.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        var target = point && (Array.isArray(point.customdata) ? point.customdata[0] : point.customdata);
        if (typeof target === "string" && target.charAt(0) === "/" && target.charAt(1) !== "/") {
          window.location.assign(target);
        }
      });
    });
  });
})();
