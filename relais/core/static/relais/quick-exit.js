// Quick exit from the public pages (service finder, feedback): replace this page (and its
// history entry) with a neutral site, on the button or on the Escape key. Also the "Print this
// page" button.
// Moving around these pages never adds a history entry either (another language, the skip
// link), so that after the quick exit "Back" cannot bring any of them back; the searches are
// swapped into the page without one.
(function () {
  "use strict";
  function leave(event) {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    if (event) { event.preventDefault(); }
    document.body.innerHTML = "";
    window.location.replace(link.getAttribute("data-exit"));
  }
  function stayInPlace(event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.id === "quick-exit" || event.defaultPrevented || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#") {
      var target = document.getElementById(href.slice(1));
      if (target) { event.preventDefault(); target.focus(); target.scrollIntoView(); }
    } else if (href.charAt(0) === "/" && href.charAt(1) !== "/") {
      event.preventDefault();
      window.location.replace(href);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var link = document.getElementById("quick-exit");
    if (link) { link.addEventListener("click", leave); }
    var print = document.getElementById("print-page");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  });
  document.addEventListener("click", stayInPlace);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { leave(event); }
  });
  // A page brought back from the browser's back-forward cache is fetched again (the server
  // says no-store; this covers browsers that keep such pages anyway).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });
}());
