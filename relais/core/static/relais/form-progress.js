// A long form in sections (the intake record): the list of sections at the top marks each one
// she has started, and the bar counts them. It reads the form only; nothing is sent.
(function () {
  "use strict";
  function started(fieldset) {
    var fields = fieldset.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "hidden" || field.disabled) { continue; }
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) { return true; }
      } else if (field.tagName === "SELECT") {
        if (field.selectedIndex > 0 && field.value !== "") { return true; }
      } else if (field.value && field.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }
  function update(nav, form) {
    var done = 0;
    var links = nav.querySelectorAll("li a[href^='#']");
    for (var i = 0; i < links.length; i++) {
      var section = form.querySelector(links[i].getAttribute("href"));
      var isDone = section !== null && started(section);
      links[i].parentNode.classList.toggle("done", isDone);
      if (isDone) { done += 1; }
    }
    var bar = nav.querySelector("progress");
    if (bar) { bar.value = done; bar.textContent = String(done); }
  }
  function init() {
    var nav = document.querySelector(".form-progress");
    var form = document.querySelector("form.form-sections");
    if (!nav || !form) { return; }
    update(nav, form);
    form.addEventListener("input", function () { update(nav, form); });
    form.addEventListener("change", function () { update(nav, form); });
    document.body.addEventListener("htmx:afterSwap", function () { update(nav, form); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
