// ParkAdmin's own behaviour. Loaded from our own host; no inline scripts (the content security policy forbids them).
(function () {
  "use strict";
  // Filter selects apply at once, as people expect of a list's filters.
  document.querySelectorAll("form.pa-filters select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
})();
