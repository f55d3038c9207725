// The team page chart: totals over the released periods, read from the json_script element.
(function () {
  var el = document.getElementById("team-chart");
  var source = document.getElementById("team-chart-data");
  if (!el || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.periods.length) { el.style.display = "none"; return; }
  el.style.height = "320px";
  var chart = window.echarts.init(el);
  chart.setOption({
    // richText: the tooltip is drawn in the chart, not as HTML with style attributes the CSP refuses.
    tooltip: { trigger: "axis", renderMode: "richText" },
    grid: { left: 40, right: 16, top: 24, bottom: 32 },
    xAxis: { type: "category", data: data.periods },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [{ name: el.getAttribute("data-label"), type: "line", data: data.totals.map(Number), label: { show: true } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
