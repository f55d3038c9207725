// Site-wide behaviour, kept out of templates so the Content-Security-Policy needs no inline scripts.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.classList && el.classList.contains("js-autosubmit") && el.form) { el.form.submit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
});
document.addEventListener("click", function (event) {
  // "Back" on the error pages: the previous page when there is one, the link's own target (home) otherwise.
  var el = event.target.closest ? event.target.closest("[data-back]") : null;
  if (el && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});
// A table wider than the screen scrolls inside its .table-responsive box: the box takes the keyboard focus then
// (WCAG 2.1.1, axe's scrollable-region-focusable), so arrow keys scroll it, and is named as a region.
(function () {
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-scroll-label")) || "";
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (label && !box.hasAttribute("aria-label")) { box.setAttribute("aria-label", label); }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  markScrollingTables();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markScrollingTables, 200);
  });
  document.addEventListener("htmx:afterSettle", markScrollingTables);
})();
document.addEventListener("submit", function (event) {
  // The large-text switch: without JavaScript the form posts and the page comes back in the new size; here the
  // class on <html> changes at once and the choice is saved in the background (the server answers 204).
  var form = event.target;
  if (!form.classList || !form.classList.contains("large-text-switch") || !window.fetch) { return; }
  event.preventDefault();
  var field = form.elements.large_text;
  var button = form.querySelector("button");
  var on = field.value === "1";
  var body = new FormData(form);
  document.documentElement.classList.toggle("large-text", on);
  button.setAttribute("aria-pressed", on ? "true" : "false");
  field.value = on ? "0" : "1";
  window.fetch(form.action, {
    method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
  }).then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
  }).catch(function () {
    // not saved (offline, an expired CSRF token): post the form itself, which shows what went wrong
    field.value = on ? "1" : "0";
    form.submit();
  });
});
document.addEventListener("DOMContentLoaded", function () {
  // A form sent back with errors: its summary (templates/bootstrap5/errors.html) takes the focus, so keyboard
  // and screen-reader users start at the list of what to correct, each linked to its field.
  var summary = document.querySelector(".js-error-summary");
  if (summary) { summary.focus(); }
});
