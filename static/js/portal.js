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
