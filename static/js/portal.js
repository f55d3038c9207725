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
document.addEventListener("DOMContentLoaded", function () {
  // A form sent back with errors: its summary (templates/bootstrap5/errors.html) takes the focus, so keyboard
  // and screen-reader users start at the list of what to correct, each linked to its field.
  var summary = document.querySelector(".js-error-summary");
  if (summary) { summary.focus(); }
});
