// Dashboard charts (Apache ECharts, vendored). The page passes its figures with json_script
// (#dashboard-chart-data: {labels: [...], series: [{name, unit, values}]}); no inline script (CSP).
// Values come rounded from the server (money in 万元); labels and ticks are kept readable on a phone.
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-chart");
  var source = document.getElementById("dashboard-chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.labels || !data.labels.length) { holder.style.display = "none"; return; }
  var chart = echarts.init(holder, null, { renderer: "svg" });

  // A number as a label: at most two decimals, thousands grouped (12345.678901 → 12,345.68).
  function readable(v) {
    if (v === null || v === undefined || isNaN(v)) { return "—"; }
    return Number(v).toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 2 });
  }

  // Axis ticks in the page's language, compact: 1.2万 in Chinese, 12M in English, instead of 12000000.
  var compact = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                      { notation: "compact", maximumFractionDigits: 1 });
  function tick(v) { return compact.format(v); }

  // A unit's name on a narrow screen: the first characters, then an ellipsis.
  function shorten(label, max) {
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }

  function show(index) {
    var series = data.series[index] || data.series[0];
    var narrow = holder.clientWidth < 576;
    var many = data.labels.length > (narrow ? 4 : 8);
    var suffix = series.unit === "%" ? "%" : "";
    // the chart's name follows the figure picked, so a screen reader hears what it shows
    if (picker && series.name) { holder.setAttribute("aria-label", series.name); }
    chart.setOption({
      color: ["#b71c1c"],
      // richText: drawn in the chart; an HTML tooltip carries style attributes, which the CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText", confine: true,
                 valueFormatter: function (v) { return readable(v) + (suffix || (series.unit ? " " + series.unit : "")); } },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels,
               axisLabel: { interval: narrow && data.labels.length > 8 ? "auto" : 0, rotate: many ? (narrow ? 60 : 40) : 0,
                            hideOverlap: true, fontSize: narrow ? 10 : 12,
                            formatter: function (label) { return shorten(String(label), narrow ? 5 : 10); } } },
      yAxis: { type: "value", name: series.unit || "", splitNumber: narrow ? 3 : 5,
               nameTextStyle: { align: "left" }, axisLabel: { formatter: tick, fontSize: narrow ? 10 : 12 } },
      series: [{ type: "bar", name: series.name, data: series.values, barMaxWidth: 36,
                 label: { show: data.labels.length <= (narrow ? 6 : 20), position: "top", fontSize: narrow ? 10 : 12,
                          formatter: function (p) { return readable(p.value); } } }]
    }, true);
  }

  var picker = document.querySelector(".js-chart-series");
  var current = 0;
  show(current);
  if (picker) { picker.addEventListener("change", function () { current = parseInt(picker.value, 10); show(current); }); }
  window.addEventListener("resize", function () { chart.resize(); show(current); });
})();
