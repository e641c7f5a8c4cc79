// Statistics charts. The numbers come from the page's json_script element (no inline
// script: the CSP forbids it); every chart repeats a table that is on the page anyway,
// so without JavaScript nothing is lost.
(function () {
  "use strict";

  var source = document.getElementById("statistics-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var styles = getComputedStyle(document.documentElement);
  var color = styles.getPropertyValue("--bs-primary").trim() || "#0d6efd";
  var text = styles.getPropertyValue("--bs-body-color").trim() || "#212529";
  var font = styles.getPropertyValue("--bs-body-font-family").trim();

  Chart.defaults.color = text;
  if (font) {
    Chart.defaults.font.family = font;
  }

  data.charts.forEach(function (chart) {
    var canvas = document.getElementById("chart-" + chart.id);
    if (!canvas || !chart.values.length) {
      return;
    }
    // Years read left to right (or right to left) along time; names read better as rows.
    var horizontal = chart.id !== "per-year";
    if (horizontal) {
      // One bar a row, so a long list of statuses stays readable.
      canvas.parentElement.style.height = Math.max(160, 36 * chart.values.length + 60) + "px";
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [
          {
            label: data.label,
            data: chart.values,
            backgroundColor: color,
            borderRadius: 3,
          },
        ],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: !horizontal,
        animation: false,
        locale: document.documentElement.lang || undefined,
        plugins: {
          legend: { display: false },
          tooltip: { rtl: rtl },
        },
        scales: {
          x: {
            reverse: rtl,
            position: "bottom",
            beginAtZero: true,
            ticks: { precision: 0 },
          },
          y: {
            position: rtl ? "right" : "left",
            beginAtZero: true,
            ticks: { precision: 0 },
          },
        },
      },
    });
  });
})();
