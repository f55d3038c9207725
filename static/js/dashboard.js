// Dashboard charts (Apache ECharts, vendored). The page passes its figures with json_script
// (#dashboard-chart-data: {labels: [...], series: [{name, unit, values}]}); no inline script (CSP).
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-chart");
  var source = document.getElementById("dashboard-chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.labels || !data.labels.length) { holder.style.display = "none"; return; }
  var chart = echarts.init(holder, null, { renderer: "svg" });

  function show(index) {
    var series = data.series[index] || data.series[0];
    chart.setOption({
      color: ["#b71c1c"],
      // richText: drawn in the chart; an HTML tooltip carries style attributes, which the CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + (series.unit === "%" ? "%" : ""); } },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", name: series.unit || "" },
      series: [{ type: "bar", name: series.name, data: series.values, barMaxWidth: 36,
                 label: { show: data.labels.length <= 20, position: "top" } }]
    }, true);
  }

  show(0);
  var picker = document.querySelector(".js-chart-series");
  if (picker) { picker.addEventListener("change", function () { show(parseInt(picker.value, 10)); }); }
  window.addEventListener("resize", function () { chart.resize(); });
})();
