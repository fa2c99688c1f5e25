/* Search-as-you-type selects for large choices (enterprises, projects): each <select data-pa-search="URL"> becomes
   a Tom Select whose options come from the API list at URL, filtered by `q`, as the user types. */
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") return;
  document.querySelectorAll("select[data-pa-search]").forEach(function (select) {
    var url = select.dataset.paSearch;
    new TomSelect(select, {
      valueField: "id",
      labelField: "name",
      searchField: ["name"],
      placeholder: select.dataset.paPlaceholder || "",
      maxOptions: 20,
      shouldLoad: function (query) { return query.length > 0; },
      load: function (query, callback) {
        var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "page_size=20&q=" + encodeURIComponent(query);
        fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results || []); })
          .catch(function () { callback(); });
      },
    });
  });
})();
