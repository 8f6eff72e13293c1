// Draw every chart of the page with vega-embed (served from the site's own _static/vega).
// The build writes each chart as an empty div.kit-chart followed by its Vega-Lite spec in a
// <script type="application/json" class="kit-chart-spec">. A chart that cannot be drawn says
// so in place of the chart instead of staying blank.
(function () {
  "use strict";

  function drawAll() {
    document.querySelectorAll("div.kit-chart").forEach(function (target) {
      var holder = target.nextElementSibling;
      if (!holder || !holder.classList.contains("kit-chart-spec")) {
        target.textContent = "This chart's data is missing from the page.";
        target.classList.add("kit-chart-failed");
        return;
      }
      var payload = JSON.parse(holder.textContent);
      var options = Object.assign({ actions: false, renderer: "svg" }, payload.embed_options || {});
      if (typeof window.vegaEmbed !== "function") {
        target.textContent = "The chart library did not load, so this chart cannot be drawn.";
        target.classList.add("kit-chart-failed");
        return;
      }
      window.vegaEmbed(target, payload.spec, options)
        .then(function () { target.classList.add("kit-chart-drawn"); })
        .catch(function (error) {
          target.textContent = "This chart could not be drawn: " + error;
          target.classList.add("kit-chart-failed");
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
