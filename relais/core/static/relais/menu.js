// The staff header on a phone: the menu and the header's tools fold behind one "Menu" button
// (relais.css shows the button only on narrow screens). Without JavaScript nothing folds.
(function () {
  "use strict";
  function init() {
    var button = document.querySelector(".site-header .menu-toggle");
    if (!button) { return; }
    var header = button.closest(".site-header");
    header.classList.add("js-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        header.classList.remove("menu-open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
