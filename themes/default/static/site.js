// Progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Collapsible main menu on small screens.
  var nav = document.querySelector(".site-nav");
  var toggle = nav && nav.querySelector(".nav-toggle");
  if (nav && toggle) {
    var small = window.matchMedia("(max-width: 52rem)");
    var sync = function () {
      toggle.hidden = !small.matches;
      nav.classList.toggle("js-collapsible", small.matches);
    };
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    small.addEventListener("change", sync);
    sync();
  }

  // Team list: show one department at a time.
  var filter = document.querySelector("[data-filter]");
  if (filter) {
    var select = filter.querySelector("select");
    var count = filter.querySelector(".filter-count");
    var sections = document.querySelectorAll("[data-department]");
    var apply = function () {
      var code = select.value;
      var shown = 0;
      sections.forEach(function (section) {
        var visible = !code || section.getAttribute("data-department") === code;
        section.hidden = !visible;
        if (visible) shown += section.querySelectorAll("li").length;
      });
      count.textContent = shown + (shown > 1 ? " équipes" : " équipe");
    };
    filter.hidden = false;
    select.addEventListener("change", apply);
    apply();
  }
})();

// Toolbox: full-text search and filters in the browser, over the Pagefind
// index built with the site (/pagefind/). The index is loaded on the first
// search only. The filters combine: a tool must have every value checked.
// The URL keeps the search (?q=…&theme=…) so that it can be shared.
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  var facets = document.querySelector("[data-facets]");
  var results = document.querySelector("[data-results]");
  if (!form || !facets || !results) return;
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector("[data-status]");
  var list = results.querySelector("[data-result-list]");
  var more = results.querySelector("[data-more]");
  var browse = document.querySelectorAll("[data-browse]");
  var boxes = facets.querySelectorAll("input[type=checkbox]");
  var PAGE = 24;
  var engine = null;
  var found = null;
  var shown = 0;
  var generation = 0;
  var timer = 0;

  function pagefind() {
    if (!engine) {
      // The filter index is loaded up front: without it the counts of a
      // search come back empty.
      engine = import(form.getAttribute("data-search")).then(function (module) {
        return module.options({ excerptLength: 22 })
          .then(function () { return module.filters(); })
          .then(function () { return module; });
      });
    }
    return engine;
  }

  function selectedFilters() {
    var filters = {};
    boxes.forEach(function (box) {
      if (box.checked) (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  function plural(count, one, many) {
    return count.toLocaleString("fr-FR") + "\u00a0" + (count > 1 ? many : one);
  }

  // Counts beside each value: how many results checking it would leave.
  function showCounts(counts) {
    boxes.forEach(function (box) {
      var label = box.closest("label");
      var count = label.querySelector("[data-count]");
      var n = counts ? (counts[box.name] && counts[box.name][box.value]) || 0
                     : Number(count.getAttribute("data-total"));
      count.textContent = n.toLocaleString("fr-FR");
      label.classList.toggle("facet-empty", n === 0 && !box.checked);
    });
  }

  // Pagefind's excerpt marks the words found with <mark>; everything else is
  // inserted as text, never as HTML.
  function excerpt(text) {
    var p = document.createElement("p");
    p.className = "excerpt";
    text.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        var node = marked ? document.createElement("mark") : document.createTextNode(part);
        if (marked) node.textContent = part;
        p.appendChild(node);
      }
      return marked;
    }, false);
    return p;
  }

  function card(data) {
    var li = document.createElement("li");
    li.className = "card tool-card";
    var kind = document.createElement("p");
    kind.className = "card-kicker";
    kind.textContent = data.meta.type || "";
    var title = document.createElement("h3");
    title.className = "card-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title;
    title.appendChild(link);
    var summary = document.createElement("p");
    summary.textContent = data.meta.summary || "";
    li.appendChild(kind);
    li.appendChild(title);
    li.appendChild(summary);
    if (input.value.trim()) li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  function showMore() {
    var mine = generation;
    var page = found.results.slice(shown, shown + PAGE);
    return Promise.all(page.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) return;
      items.forEach(function (data) { list.appendChild(card(data)); });
      shown += items.length;
      more.hidden = shown >= found.results.length;
      results.setAttribute("aria-busy", "false");
    });
  }

  function keepInUrl(term, filters) {
    var params = new URLSearchParams();
    if (term) params.set("q", term);
    Object.keys(filters).forEach(function (name) {
      filters[name].forEach(function (value) { params.append(name, value); });
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function setBrowsing(browsing) {
    results.hidden = browsing;
    browse.forEach(function (part) { part.hidden = !browsing; });
  }

  function run() {
    var term = input.value.trim();
    var filters = selectedFilters();
    var mine = ++generation;
    keepInUrl(term, filters);
    if (!term && Object.keys(filters).length === 0) {
      setBrowsing(true);
      status.textContent = "";
      showCounts(null);
      return Promise.resolve();
    }
    results.setAttribute("aria-busy", "true");
    return pagefind()
      .then(function (engine) { return engine.search(term || null, { filters: filters }); })
      .then(function (search) {
        if (mine !== generation || !search) return;
        found = search;
        shown = 0;
        list.textContent = "";
        showCounts(search.filters);
        status.textContent = search.results.length === 0
          ? "Aucun outil ne correspond : essayez un autre mot ou retirez un filtre."
          : plural(search.results.length, "outil trouvé", "outils trouvés");
        setBrowsing(false);
        return showMore();
      })
      .catch(function () {
        status.textContent = "La recherche n’a pas pu se charger : parcourez les thèmes et les types ci-dessous.";
        setBrowsing(true);
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  }

  // Restore a shared search from the URL.
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  boxes.forEach(function (box) { box.checked = params.getAll(box.name).indexOf(box.value) >= 0; });

  form.hidden = false;
  facets.hidden = false;
  // On a small screen the filters start folded, so that the results show
  // without scrolling past every theme.
  var panel = facets.querySelector("[data-facets-panel]");
  if (panel && window.matchMedia("(max-width: 52rem)").matches) panel.open = false;
  // The filters replace the links to the theme and type pages.
  document.querySelectorAll("[data-links]").forEach(function (part) { part.hidden = true; });
  input.addEventListener("input", later);
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  facets.addEventListener("change", run);
  facets.addEventListener("reset", function () { input.value = ""; setTimeout(run, 0); });
  more.addEventListener("click", showMore);
  run();
})();
