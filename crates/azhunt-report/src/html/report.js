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
  // Times as the rest of the report writes them: UTC, 24-hour, year first.
  var fmtDay = uPlot.fmtDate("{MM}-{DD}");
  var fmtHour = uPlot.fmtDate("{HH}:{mm}");
  var fmtFull = uPlot.fmtDate("{YYYY}-{MM}-{DD} {HH}:{mm}");
  function ticks(u, splits) {
    return splits.map(function (s) {
      var d = utc(s);
      return d.getHours() === 0 && d.getMinutes() === 0 ? fmtDay(d) : fmtHour(d);
    });
  }

  var LANES = { critical: 6.2, high: 5.6, medium: 5, low: 4.4, informational: 3.8 };

  function draw(c, el) {
    // One more point at the end of the last bucket, so that bucket has a width.
    var n = c.x.length;
    var ymax = Math.max(1, Math.max.apply(null, c.y));
    var x = c.x.concat([c.x[n - 1] + c.step]);
    var cols = [x, c.y.concat([c.y[n - 1]])];
    function shown(v, i) {
      return i == null || i >= n ? "–" : String(c.y[i]);
    }
    var series = [
      {
        label: "UTC",
        value: function (u, v) { return v == null ? "–" : fmtFull(utc(v)); }
      },
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
    // Detections sit in one lane per level above the line (critical on top), on a scale of
    // their own, so points of different levels in one bucket never hide each other.
    c.marks.forEach(function (m) {
      var lane = LANES[m.level] || 1;
      cols.push(m.n.map(function (k) { return k > 0 ? lane : null; }).concat([null]));
      series.push({
        scale: "det",
        label: m.level + " detections",
        stroke: color(m.level),
        fill: color(m.level),
        width: 0,
        paths: function () { return null; },
        points: { show: true, size: 13, width: 2, stroke: "#ffffff", fill: color(m.level) },
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
      scales: {
        x: { time: true },
        // The line keeps the lower two thirds, the lanes the top.
        y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.6]; } },
        det: { range: [0, 6.6] }
      },
      axes: [
        { stroke: color("muted"), grid: { stroke: color("grid") }, values: ticks },
        {
          stroke: color("muted"),
          grid: { stroke: color("grid") },
          size: 56,
          // No ticks in the lanes' band above the highest count.
          filter: function (u, splits) {
            return splits.map(function (v) { return ymax >= v ? v : null; });
          }
        }
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
