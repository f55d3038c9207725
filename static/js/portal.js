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
