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
