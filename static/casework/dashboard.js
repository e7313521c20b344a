/* The dashboard's charts (casework/workspace): Apache ECharts, vendored in
   static/vendor/echarts. The figures come from the page's <script type="application/json"
   id="dashboard-data"> (json_script): no inline script. The table beneath each chart holds the
   same numbers. */
(function () {
  function draw() {
    const source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    const charts = JSON.parse(source.textContent);
    charts.forEach(function (figure) {
      const element = document.querySelector('[data-chart="' + figure.key + '"]');
      if (!element) return;
      const chart =
        window.echarts.getInstanceByDom(element) || window.echarts.init(element, null, { renderer: "canvas" });
      const horizontal = figure.key === "steps";
      const series = figure.series.map(function (s) {
        const item = { name: s.name, data: s.data, type: figure.chart === "line" ? "line" : "bar" };
        if (figure.chart === "stacked") item.stack = "cards";
        return item;
      });
      const category = { type: "category", data: figure.categories, axisLabel: { hideOverlap: true } };
      const value = { type: "value", minInterval: 1 };
      chart.setOption({
        color: figure.key === "cards" ? ["#f9a825", "#c62828"] : undefined,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? category : value,
        series: series,
      });
      element.dataset.drawn = "1";
      // Follow the card's width (the menu opening or closing, the window resized).
      if (window.ResizeObserver) {
        new ResizeObserver(function () { chart.resize(); }).observe(element);
      } else {
        window.addEventListener("resize", function () { chart.resize(); });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("turbo:load", draw);
})();
