// The entry grid: year-on-year follows what is typed, and flags a change beyond ±50 % (the server's checks decide).
(function () {
  "use strict";
  var LIMIT = 50;
  document.querySelectorAll("tr.pa-entry-row").forEach(function (row) {
    var input = row.querySelector("input.pa-entry-value");
    var cell = row.querySelector("td.pa-yoy");
    var previous = parseFloat(row.dataset.previous);
    var higherIsBetter = row.dataset.higherIsBetter !== "0";
    if (!input || !cell || !(previous > 0)) { return; }
    input.addEventListener("input", function () {
      var text = input.value.trim().replace(/,/g, "");
      var value = text === "" ? NaN : Number(text);
      cell.classList.remove("pa-yoy-warn", "text-success", "text-danger");
      if (!isFinite(value)) { cell.textContent = "—"; return; }
      var change = (value / previous - 1) * 100;
      cell.textContent = (change > 0 ? "+" : "") + change.toFixed(2) + "%";
      if (Math.abs(change) > LIMIT) { cell.classList.add("pa-yoy-warn"); }
      else if (change !== 0) { cell.classList.add((change > 0) === higherIsBetter ? "text-success" : "text-danger"); }
    });
  });
})();
