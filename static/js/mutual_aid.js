// Mutual aid: the disease select lists only the chosen benefit's diseases (without JS it lists them all,
// grouped by benefit, and the server checks the disease belongs to the benefit).
(function () {
  function sync(form) {
    var benefit = form.querySelector("select[name=benefit]");
    var disease = form.querySelector("select.js-disease-select");
    if (!benefit || !disease) { return; }
    var any = false;
    Array.prototype.forEach.call(disease.options, function (option) {
      var kind = option.getAttribute("data-benefit");
      if (!kind) { return; }
      var hide = kind !== benefit.value;
      option.hidden = hide;
      option.disabled = hide;
      if (!hide) { any = true; }
      if (hide && option.selected) { disease.value = ""; }
    });
    Array.prototype.forEach.call(disease.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    var wrapper = disease.closest(".mb-3") || disease.parentNode;
    wrapper.hidden = !any;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=benefit]") && event.target.form) {
      sync(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select.js-disease-select"), function (select) {
      if (select.form) { sync(select.form); }
    });
  });
})();
