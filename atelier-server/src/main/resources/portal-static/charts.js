// Metric charts of the portal, loaded only by the pages that draw them (tracking/charthead.jte): line charts
// drawn with uPlot from points the server has already downsampled (a run's charts, the overlays of the compare
// page and of an experiment's Charts view), one control bar per page (x-axis, smoothing, log scale), the
// experiment's parallel-coordinates plot and the compare page's scatter, both plain SVG.
//
// A chart is a .chart element whose data-series holds [{label, key, run, points: [[step, timestamp, value]]}];
// "run" is the run's place on the page and picks its colour, so a run has one colour in every chart, scatter and
// plot of the page. Actions are named in data-* attributes (portal.js dispatches them: no inline script).
(function () {
  "use strict";

  var atelier = window.atelier;
  var SVG = "http://www.w3.org/2000/svg";
  var COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f"];

  // A run's colour: the palette first, then hues spread by the golden angle (an experiment may chart 100 runs).
  function colour(run) {
    return run < COLORS.length ? COLORS[run] : "hsl(" + Math.round((run * 137.508) % 360) + ", 65%, 45%)";
  }

  function smooth(values, weight) {
    if (!weight) { return values; }
    var out = new Array(values.length), last = null;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v === null || !isFinite(v)) { out[i] = v; continue; }
      last = last === null ? v : last * weight + (1 - weight) * v;
      out[i] = last;
    }
    return out;
  }

  // The x of a point: its step, its wall time (seconds), or the seconds since the series' first point.
  function xOf(point, xAxis, origin) {
    if (xAxis === "step") { return point[0]; }
    return xAxis === "time" ? point[1] / 1000 : (point[1] - origin) / 1000;
  }

  // uPlot's columns: one shared x (the union of every series' x) and a column of values per series.
  function align(series, xAxis) {
    var xs = {};
    series.forEach(function (s) {
      var origin = s.points.length ? s.points[0][1] : 0;
      s.points.forEach(function (p) { xs[xOf(p, xAxis, origin)] = true; });
    });
    var x = Object.keys(xs).map(Number).sort(function (a, b) { return a - b; });
    var index = {};
    x.forEach(function (value, i) { index[value] = i; });
    var data = [x];
    series.forEach(function (s) {
      var ys = new Array(x.length).fill(null), origin = s.points.length ? s.points[0][1] : 0;
      s.points.forEach(function (p) { ys[index[xOf(p, xAxis, origin)]] = p[2] === null ? null : Number(p[2]); });
      data.push(ys);
    });
    return data;
  }

  // The page's control bar ([data-chart-controls]); a page without one draws by step, unsmoothed, linear.
  function settings() {
    var bar = document.querySelector("[data-chart-controls]");
    if (!bar) { return {x: "step", weight: 0, log: false}; }
    return {x: bar.querySelector("[name=x]").value, weight: Number(bar.querySelector("[name=smoothing]").value),
      log: bar.querySelector("[name=log]").checked};
  }

  function themeColours() {
    var style = getComputedStyle(document.documentElement);
    return {ink: style.getPropertyValue("--muted").trim() || "#616e7c", grid: style.getPropertyValue("--line").trim() || "#e4e7eb"};
  }

  function draw(container) {
    var holder = container.querySelector(".plot");
    var series = JSON.parse(container.getAttribute("data-series"));
    container.setAttribute("data-series-count", String(series.length));
    if (series.length && series.every(function (s) { return s.points.length <= 1; })) {
      drawValues(container, holder, series);
      return;
    }
    var chosen = settings();
    var data = align(series, chosen.x);
    for (var i = 1; i < data.length; i++) {
      data[i] = smooth(data[i], chosen.weight);
      if (chosen.log) { data[i] = data[i].map(function (v) { return v !== null && v > 0 ? v : null; }); }
    }
    if (container._plot) { container._plot.destroy(); container._plot = null; }
    holder.innerHTML = "";
    var theme = themeColours();
    var options = {
      width: Math.max(200, holder.clientWidth || 640), height: 260,
      legend: {show: series.length <= 12},
      scales: {x: {time: chosen.x === "time"}, y: chosen.log ? {distr: 3} : {}},
      axes: [{stroke: theme.ink, grid: {stroke: theme.grid}, ticks: {stroke: theme.grid}},
        {size: 70, stroke: theme.ink, grid: {stroke: theme.grid}, ticks: {stroke: theme.grid}}],
      series: [{label: chosen.x === "relative" ? "seconds" : chosen.x}].concat(series.map(function (s, n) {
        return {label: s.label, stroke: colour(s.run === undefined ? n : s.run), width: 1.5, spanGaps: true,
          points: {show: data[0].length < 60}};
      })),
      hooks: {setSelect: [function (u) { zoomed(container, u); }]}
    };
    container._plot = new uPlot(options, data, holder);
    container.setAttribute("data-rendered-points", String(data[0].length));
  }

  // Metrics logged once per run are values, not dots on an empty axis: a bar per run.
  function drawValues(container, holder, series) {
    if (container._plot) { container._plot.destroy(); container._plot = null; }
    var values = series.map(function (s) { return s.points.length ? s.points[0][2] : null; });
    var finite = values.filter(function (v) { return v !== null && isFinite(v); });
    var top = Math.max.apply(null, finite.map(Math.abs).concat([0]));
    holder.innerHTML = "";
    var list = document.createElement("div");
    list.className = "value-bars";
    series.forEach(function (s, n) {
      var row = document.createElement("div"), name = document.createElement("span"), bar = document.createElement("span"),
        fill = document.createElement("span"), value = document.createElement("span");
      row.className = "value-bar";
      name.className = "value-name";
      name.textContent = s.label;
      bar.className = "value-track";
      fill.className = "value-fill";
      fill.style.width = (values[n] === null || !top ? 0 : Math.abs(values[n]) / top * 100) + "%";
      fill.style.background = colour(s.run === undefined ? n : s.run);
      value.className = "num";
      value.textContent = values[n] === null ? "NaN" : String(Number(values[n].toPrecision(6)));
      bar.appendChild(fill);
      row.append(name, bar, value);
      list.appendChild(row);
    });
    holder.appendChild(list);
    container.setAttribute("data-rendered-points", String(series.length));
  }

  function detailUrl(container, key) {
    var url = container.getAttribute("data-detail-url");
    return url ? url + "?key=" + encodeURIComponent(key) : null;
  }

  function fetchJson(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) {
      if (!r.ok) { throw new Error(url + " answered " + r.status); }
      return r.json();
    });
  }

  // Zooming on a step axis asks the server for each series' points of that step range at full detail.
  function zoomed(container, u) {
    var series = JSON.parse(container.getAttribute("data-series"));
    if (!container.getAttribute("data-detail-url") || u.select.width < 2 || settings().x !== "step") { return; }
    var start = Math.floor(u.posToVal(u.select.left, "x"));
    var end = Math.ceil(u.posToVal(u.select.left + u.select.width, "x"));
    Promise.all(series.map(function (s) {
      return fetchJson(detailUrl(container, s.key) + "&start=" + start + "&end=" + end);
    })).then(function (bodies) {
      bodies.forEach(function (body, i) { series[i].points = body.points; });
      container.setAttribute("data-series", JSON.stringify(series));
      container.setAttribute("data-point-count", String(series[0].points.length));
      container.setAttribute("data-zoom", start + ".." + end);
      draw(container);
    });
  }

  function remember(container) {
    if (!container.hasAttribute("data-initial-series")) {
      container.setAttribute("data-initial-series", container.getAttribute("data-series"));
      container.setAttribute("data-initial-count", container.getAttribute("data-point-count"));
    }
  }

  function resetChart(button) {
    var container = button.closest(".chart");
    container.setAttribute("data-series", container.getAttribute("data-initial-series"));
    container.setAttribute("data-point-count", container.getAttribute("data-initial-count"));
    container.removeAttribute("data-zoom");
    draw(container);
  }

  // Several metrics on one chart: the chooser adds another metric of the run as a series of its own.
  function addSeries(select) {
    var container = select.closest(".chart"), key = select.value;
    if (!key) { return; }
    fetchJson(detailUrl(container, key) + "&points=1000").then(function (body) {
      var series = JSON.parse(container.getAttribute("data-series"));
      series.push({label: key, key: key, run: series.length, points: body.points});
      container.setAttribute("data-series", JSON.stringify(series));
      container.setAttribute("data-initial-series", JSON.stringify(series));
      select.querySelector("option[value='" + CSS.escape(key) + "']").remove();
      select.value = "";
      draw(container);
    });
  }

  function drawAll(root) {
    if (!window.uPlot) { return; }
    (root || document).querySelectorAll(".chart[data-series]").forEach(function (container) {
      remember(container);
      draw(container);
    });
  }

  // ---- the experiment's Charts view: one JSON answer holds every chart and the parallel-coordinates data

  function loadExperimentCharts(view) {
    var started = performance.now();
    fetchJson(view.getAttribute("data-url")).then(function (body) {
      var grid = view.querySelector(".charts");
      var note = view.querySelector("#charts-note");
      note.textContent = body.runs.length === 0 ? "No runs match: change the filter." : "Showing " + body.runs.length + " runs"
        + (body.more ? " (the first " + body.runs.length + " of the filter; tick runs in the table or narrow the filter)" : "")
        + ", at most " + body.pointsPerRun + " points each.";
      grid.innerHTML = "";
      body.charts.forEach(function (chart) {
        var box = document.createElement("div"), title = document.createElement("h3"), plot = document.createElement("div");
        box.className = "chart";
        box.setAttribute("data-key", chart.key);
        box.setAttribute("data-series", JSON.stringify(chart.series));
        box.setAttribute("data-point-count", String(chart.series.length ? chart.series[0].points.length : 0));
        box.setAttribute("data-detail-url", "");
        title.textContent = chart.key;
        plot.className = "plot";
        box.append(title, plot);
        grid.appendChild(box);
      });
      drawAll(grid);
      view.setAttribute("data-first-chart-ms", String(Math.round(performance.now() - started)));
      view.setAttribute("data-loaded", String(body.charts.length));
      var coordinates = document.getElementById("parcoords");
      if (coordinates) { setUpCoordinates(coordinates, body.runs); }
    }).catch(function (error) {
      view.querySelector("#charts-note").textContent = "The charts could not be loaded: " + error.message;
    });
  }

  // ---- parallel coordinates: an axis per chosen param, the chosen metric last (and as the colour), a line per run

  function numeric(values) {
    return values.length > 0 && values.every(function (v) { return v !== "" && isFinite(Number(v)); });
  }

  // An axis: where a value sits between 0 (bottom) and 1 (top), and the labels to write along it.
  function scale(values) {
    var present = values.filter(function (v) { return v !== undefined && v !== null; });
    if (numeric(present)) {
      var numbers = present.map(Number), low = Math.min.apply(null, numbers), high = Math.max.apply(null, numbers);
      return {at: function (v) { return high === low ? 0.5 : (Number(v) - low) / (high - low); },
        labels: high === low ? [[0.5, String(low)]] : [[0, String(low)], [1, String(high)]], low: low, high: high};
    }
    var categories = present.filter(function (v, i) { return present.indexOf(v) === i; }).sort();
    var place = function (v) { return categories.length === 1 ? 0.5 : categories.indexOf(v) / (categories.length - 1); };
    return {at: place, labels: categories.map(function (c) { return [place(c), c]; })};
  }

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    return element;
  }

  function setUpCoordinates(box, runs) {
    var params = {}, metrics = {};
    runs.forEach(function (run) {
      Object.keys(run.params).forEach(function (key) { params[key] = true; });
      Object.keys(run.metrics).forEach(function (key) { metrics[key] = true; });
    });
    var paramKeys = Object.keys(params).sort(), metricKeys = Object.keys(metrics).sort();
    var differing = paramKeys.filter(function (key) {
      var seen = runs.map(function (run) { return run.params[key]; });
      return seen.some(function (v) { return v !== seen[0]; });
    });
    var chosen = (differing.length ? differing : paramKeys).slice(0, 6);
    var fields = box.querySelector(".pc-params"), metricSelect = box.querySelector("select[name=metric]");
    fields.innerHTML = "";
    paramKeys.forEach(function (key) {
      var label = document.createElement("label"), input = document.createElement("input");
      input.type = "checkbox";
      input.name = "param";
      input.value = key;
      input.checked = chosen.indexOf(key) >= 0;
      input.setAttribute("data-change", "coordinates");
      label.append(input, " " + key);
      fields.appendChild(label);
    });
    metricSelect.innerHTML = "";
    metricKeys.forEach(function (key) { metricSelect.add(new Option(key, key)); });
    box._runs = runs;
    box.hidden = false;
    drawCoordinates(box);
  }

  function drawCoordinates(box) {
    var runs = box._runs || [], svg = box.querySelector("svg");
    var axes = Array.prototype.map.call(box.querySelectorAll("input[name=param]:checked"), function (input) {
      return {key: input.value, kind: "params"};
    });
    var metric = box.querySelector("select[name=metric]").value;
    if (metric) { axes.push({key: metric, kind: "metrics"}); }
    var value = function (run, axis) { return run[axis.kind][axis.key]; };
    var shown = runs.filter(function (run) {
      return axes.length > 0 && axes.every(function (axis) { return value(run, axis) !== undefined; });
    });
    var width = Math.max(280, box.clientWidth - 2), height = 320, left = 50, right = 70, top = 28, bottom = 34;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.innerHTML = "";
    var scales = axes.map(function (axis) { return scale(shown.map(function (run) { return value(run, axis); })); });
    var xAt = function (i) { return axes.length === 1 ? width / 2 : left + i * (width - left - right) / (axes.length - 1); };
    var yAt = function (t) { return top + (1 - t) * (height - top - bottom); };
    var colourScale = metric ? scales[scales.length - 1] : null;
    shown.forEach(function (run) {
      var points = axes.map(function (axis, i) { return xAt(i).toFixed(1) + "," + yAt(scales[i].at(value(run, axis))).toFixed(1); });
      var t = colourScale ? colourScale.at(run.metrics[metric]) : 0.5;
      var line = svgElement("polyline", {points: points.join(" "), fill: "none", "stroke-width": 1.5, "stroke-opacity": 0.8,
        stroke: "hsl(" + Math.round(230 - 230 * t) + ", 75%, 45%)", "class": "pc-line"});
      var title = svgElement("title", {});
      title.textContent = run.name + ": " + axes.map(function (axis) { return axis.key + " " + value(run, axis); }).join(", ");
      line.appendChild(title);
      svg.appendChild(line);
    });
    axes.forEach(function (axis, i) {
      svg.appendChild(svgElement("line", {x1: xAt(i), x2: xAt(i), y1: top, y2: height - bottom, "class": "pc-axis"}));
      var name = svgElement("text", {x: xAt(i), y: height - 12, "text-anchor": "middle", "class": "pc-name"});
      name.textContent = axis.key;
      svg.appendChild(name);
      scales[i].labels.forEach(function (label) {
        var text = svgElement("text", {x: xAt(i) + 4, y: yAt(label[0]) + (label[0] === 1 ? 10 : -3), "class": "pc-label"});
        text.textContent = label[1].length > 14 ? label[1].substring(0, 13) + "…" : label[1];
        svg.appendChild(text);
      });
    });
    box.setAttribute("data-lines", String(shown.length));
  }

  // ---- the compare page: the scatter (drawn here, redrawn on change and resize) and "differences only"

  function drawScatter(box) {
    var data = JSON.parse(box.getAttribute("data-scatter"));
    var form = document.getElementById("scatter-form");
    var x = form.querySelector("[name=x]").value, y = form.querySelector("[name=y]").value;
    var svg = box.querySelector("svg"), empty = box.querySelector(".scatter-empty");
    var kept = data.runs.map(function (run, n) { return {run: run, n: n}; }).filter(function (item) {
      var xv = item.run.values[x], yv = item.run.values[y];
      return xv !== undefined && xv !== "" && yv !== undefined && isFinite(Number(yv)) && yv !== "";
    });
    empty.hidden = kept.length > 0;
    svg.style.display = kept.length > 0 ? "" : "none";
    var width = Math.max(260, box.clientWidth - 24), height = 320, margin = 48, padding = 20;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("aria-label", y + " against " + x);
    svg.innerHTML = "";
    var xs = scale(kept.map(function (item) { return item.run.values[x]; }));
    var ys = scale(kept.map(function (item) { return item.run.values[y]; }));
    var px = function (t) { return margin + padding + t * (width - 2 * margin - 2 * padding); };
    var py = function (t) { return height - margin - padding - t * (height - 2 * margin - 2 * padding); };
    svg.appendChild(svgElement("line", {x1: margin, y1: height - margin, x2: width - margin / 2, y2: height - margin, "class": "pc-axis"}));
    svg.appendChild(svgElement("line", {x1: margin, y1: margin / 2, x2: margin, y2: height - margin, "class": "pc-axis"}));
    xs.labels.forEach(function (label) {
      var text = svgElement("text", {x: px(label[0]), y: height - margin + 16, "text-anchor": "middle", "class": "pc-label"});
      text.textContent = label[1];
      svg.appendChild(text);
    });
    ys.labels.forEach(function (label) {
      var text = svgElement("text", {x: margin - 4, y: py(label[0]) + 4, "text-anchor": "end", "class": "pc-label"});
      text.textContent = label[1].length > 7 ? Number(label[1]).toPrecision(3) : label[1];
      svg.appendChild(text);
    });
    var xName = svgElement("text", {x: width / 2, y: height - 8, "text-anchor": "middle", "class": "pc-name"});
    xName.textContent = x;
    var yName = svgElement("text", {x: margin, y: 14, "class": "pc-name"});
    yName.textContent = y;
    svg.append(xName, yName);
    var legend = box.querySelector(".scatter-legend");
    legend.innerHTML = "";
    kept.forEach(function (item) {
      var entry = document.createElement("span"), swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour(item.n);
      entry.append(swatch, item.run.name);
      legend.appendChild(entry);
    });
    kept.forEach(function (item) {
      var dot = svgElement("circle", {cx: px(xs.at(item.run.values[x])).toFixed(1), cy: py(ys.at(item.run.values[y])).toFixed(1), r: 6,
        fill: colour(item.n), "fill-opacity": 0.85, "class": "scatter-point", "data-run": item.run.name});
      var title = svgElement("title", {});
      title.textContent = item.run.name + ": " + item.run.values[x] + ", " + item.run.values[y];
      dot.appendChild(title);
      svg.appendChild(dot);
    });
  }

  function scatterChanged() {
    var box = document.getElementById("scatter-box");
    drawScatter(box);
    var form = document.getElementById("scatter-form"), url = new URL(window.location.href);
    url.searchParams.set("x", form.querySelector("[name=x]").value);
    url.searchParams.set("y", form.querySelector("[name=y]").value);
    window.history.replaceState(null, "", url.toString());
  }

  function differencesOnly(box) {
    document.getElementById("compare-table").classList.toggle("differences-only", box.checked);
  }

  // ---- wiring

  function redrawEverything() {
    drawAll(document);
    var coordinates = document.getElementById("parcoords");
    if (coordinates && coordinates._runs) { drawCoordinates(coordinates); }
    var scatter = document.getElementById("scatter-box");
    if (scatter) { drawScatter(scatter); }
  }

  Object.assign(atelier.actions, {
    "redraw-all": function () { drawAll(document); },
    "reset-chart": resetChart,
    "add-series": addSeries,
    "coordinates": function (element) { drawCoordinates(element.closest("#parcoords")); },
    "scatter": scatterChanged,
    "differences-only": differencesOnly
  });

  var width = window.innerWidth, pending = null;
  window.addEventListener("resize", function () {
    if (window.innerWidth === width) { return; }
    width = window.innerWidth;
    window.clearTimeout(pending);
    pending = window.setTimeout(redrawEverything, 150);
  });
  document.addEventListener("atelier:theme", redrawEverything);
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
    var scatter = document.getElementById("scatter-box");
    if (scatter) { drawScatter(scatter); }
    var view = document.getElementById("experiment-charts");
    if (view) { loadExperimentCharts(view); }
  });
})();
