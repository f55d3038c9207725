// Width of the scoring progress bar (no inline styles or scripts in templates).
document.querySelectorAll(".js-progress").forEach(function (bar) {
  var total = Number(bar.getAttribute("data-total")) || 0;
  var done = Number(bar.getAttribute("data-done")) || 0;
  bar.style.width = (total ? Math.round((done / total) * 100) : 0) + "%";
});
