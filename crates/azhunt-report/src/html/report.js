// azhunt report: draws the activity charts with uPlot from the JSON data block.
// Evidence text reaches the DOM only through textContent and uPlot (which uses textContent);
// this script never writes markup. Its SHA-256 is in the page's Content-Security-Policy.
(function () {
  "use strict";
  var violations = document.getElementById("csp-violations");
  document.addEventListener("securitypolicyviolation", function (e) {
    if (!violations) return;
    var line = document.createElement("p");
    line.textContent = e.violatedDirective + " " + (e.blockedURI || "inline");
    violations.appendChild(line);
    violations.hidden = false;
  });

  var styles = getComputedStyle(document.documentElement);
  function color(name) {
    return styles.getPropertyValue("--" + name).trim() || "#64748b";
  }

  var source = document.getElementById("azhunt-chart-data");
  var data = { charts: [] };
  try {
    data = JSON.parse(source ? source.textContent : "{}");
  } catch (err) {
    data = { charts: [] };
  }
  var charts = Array.isArray(data.charts) ? data.charts : [];
  var plots = [];

  function utc(ts) {
    return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC");
  }

  function draw(c, el) {
    // One more point at the end of the last bucket, so that bucket has a width.
    var n = c.x.length;
    var x = c.x.concat([c.x[n - 1] + c.step]);
    var cols = [x, c.y.concat([c.y[n - 1]])];
    function shown(v, i) {
      return i == null || i >= n ? "–" : String(c.y[i]);
    }
    var series = [
      {},
      {
        label: "events per " + c.unit,
        stroke: color("accent"),
        fill: color("accent-fill"),
        width: 1.5,
        paths: uPlot.paths.stepped({ align: 1 }),
        points: { show: false },
        value: function (u, v, si, i) { return shown(v, i); }
      }
    ];
    c.marks.forEach(function (m) {
      cols.push(m.n.map(function (k, i) { return k > 0 ? c.y[i] : null; }).concat([null]));
      series.push({
        label: m.level + " detections",
        stroke: color(m.level),
        fill: color(m.level),
        width: 0,
        paths: function () { return null; },
        points: { show: true, size: 11, width: 2, stroke: "#ffffff", fill: color(m.level) },
        value: function (u, v, si, i) {
          return i == null || !m.n[i] ? "–" : String(m.n[i]);
        }
      });
    });
    var opts = {
      width: Math.max(320, el.clientWidth),
      height: 220,
      tzDate: utc,
      series: series,
      scales: { x: { time: true } },
      axes: [
        { stroke: color("muted"), grid: { stroke: color("grid") } },
        { stroke: color("muted"), grid: { stroke: color("grid") }, size: 56 }
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } }
    };
    return new uPlot(opts, cols, el);
  }

  charts.forEach(function (c, i) {
    var el = document.getElementById("chart-" + i);
    if (!el) return;
    if (typeof uPlot === "undefined") {
      el.textContent = "The chart library did not load.";
      return;
    }
    plots.push({ plot: draw(c, el), el: el });
  });

  function fit() {
    plots.forEach(function (p) {
      p.plot.setSize({ width: Math.max(320, p.el.clientWidth), height: 220 });
    });
  }
  window.addEventListener("resize", fit);

  // Printing: open every detail so the printout holds everything, close them again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
    fit();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    fit();
  });

  // Following a link to a closed detection opens it.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", reveal);
  reveal();

  // What the browser tests read: how many charts were drawn, and whether both stylesheets
  // applied (a stylesheet whose hash is not in the CSP is silently dropped).
  var wrap = document.querySelector(".uplot .u-wrap");
  var styled = styles.getPropertyValue("--critical").trim() !== "" &&
    (!wrap || getComputedStyle(wrap).position === "relative");
  document.body.setAttribute("data-charts", String(plots.length));
  document.body.setAttribute("data-styled", styled ? "yes" : "no");
})();
