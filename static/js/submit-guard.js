// Every form's submit buttons disable themselves while the form is posted, so a double click (an upload, a
// payment) is sent once. Loaded by base.html; no inline script (CSP). The busy label comes translated from the
// script tag's data-busy-label. Forms handled by htmx (it cancels the submit event itself) and forms marked
// data-no-guard are left alone.
(function () {
  "use strict";
  var script = document.currentScript;
  var busyLabel = (script && script.getAttribute("data-busy-label")) || "…";
  var SUBMITS = "button:not([type]), button[type=submit], input[type=submit], input[type=image]";
  var GUARDED = "data-submit-guard";
  // A form that does not leave the page (a file download, a target window) gets its buttons back after this.
  var RELEASE_AFTER_MS = 15000;

  function buttonsOf(form) {
    var list = [];
    for (var i = 0; i < form.elements.length; i++) {
      if (form.elements[i].matches && form.elements[i].matches(SUBMITS)) { list.push(form.elements[i]); }
    }
    return list;
  }

  function release(form) {
    if (!form.hasAttribute(GUARDED)) { return; }
    form.removeAttribute(GUARDED);
    form.removeAttribute("aria-busy");
    buttonsOf(form).forEach(function (button) {
      if (!button.hasAttribute("data-guard-was")) { return; }
      var was = JSON.parse(button.getAttribute("data-guard-was"));
      button.disabled = was.disabled;
      if (button.tagName === "INPUT") { button.value = was.label; } else { button.innerHTML = was.label; }
      button.removeAttribute("data-guard-was");
    });
    var kept = form.querySelectorAll("input[data-guard-submitter]");
    for (var i = 0; i < kept.length; i++) { kept[i].parentNode.removeChild(kept[i]); }
  }

  function guard(form, submitter) {
    form.setAttribute(GUARDED, "");
    form.setAttribute("aria-busy", "true");
    // A disabled button is left out of the posted data: keep the clicked one's name and value.
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      hidden.setAttribute("data-guard-submitter", "");
      form.appendChild(hidden);
    }
    buttonsOf(form).forEach(function (button) {
      var label = button.tagName === "INPUT" ? button.value : button.innerHTML;
      button.setAttribute("data-guard-was", JSON.stringify({ disabled: button.disabled, label: label }));
      if (button === submitter || (!submitter && button === buttonsOf(form)[0])) {
        if (button.tagName === "INPUT") {
          button.value = busyLabel;
        } else {
          button.innerHTML = "";
          var spinner = document.createElement("span");
          spinner.className = "spinner-border spinner-border-sm me-1";
          spinner.setAttribute("aria-hidden", "true");
          button.appendChild(spinner);
          button.appendChild(document.createTextNode(busyLabel));
        }
      }
      button.disabled = true;
    });
    var target = form.getAttribute("target");
    window.setTimeout(function () { release(form); }, target && target !== "_self" ? 1000 : RELEASE_AFTER_MS);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-no-guard")) { return; }
    if (form.hasAttribute(GUARDED)) { event.preventDefault(); return; }  // Enter pressed again, a second click
    if (event.defaultPrevented) { return; }  // htmx or a confirm() said no: nothing is being sent
    guard(form, event.submitter || null);
  });

  // The browser's own validation stopped the submit (a required field is empty): the buttons stay usable.
  document.addEventListener("invalid", function (event) {
    if (event.target && event.target.form) { release(event.target.form); }
  }, true);

  // Back to a page kept in the back-forward cache: its forms were left disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    var forms = document.querySelectorAll("form[" + GUARDED + "]");
    for (var i = 0; i < forms.length; i++) { release(forms[i]); }
  });
})();
