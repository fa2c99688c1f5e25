// The dashboard's year/park/pending choices apply at once.
(function () {
  "use strict";
  document.querySelectorAll("form.pa-filters select, form.pa-filters input[type=checkbox]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });
})();
