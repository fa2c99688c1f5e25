// The reports page: the print button (no inline handlers: the content security policy forbids them).
(function () {
  "use strict";
  document.querySelectorAll("[data-pa-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
