// The portal's browser code: htmx settings, sign-in and sign-out, workspace switching, and metric
// charts drawn with uPlot from points the server has already downsampled.
//
// The Content-Security-Policy allows no inline script: elements name what they do in data-click,
// data-change, data-input and data-submit attributes, and the listeners below run the action of that
// name from atelier.actions (other scripts, such as endpoints.js, add theirs).
(function () {
  "use strict";

  if (window.htmx) {
    // No eval (hx-on, js: values are not used) and no inline <style>: the policy forbids both.
    htmx.config.allowEval = false;
    htmx.config.includeIndicatorStyles = false;
    // Swap error answers too: the server sends a message fragment and retargets it to #flash.
    htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "[45]..", swap: true, error: true}
    ];
  }

  // MLflow's clients print links into MLflow's web UI: <tracking URI>/#/experiments/<id>/runs/<run id>,
  // #/experiments/<id>, #/models/<name>/versions/<v> and #/models/<name>. A fragment never reaches the
  // server, so the page that receives one (the workspace's root page) sends the browser on to the matching
  // Atelier page of the same workspace (the tracking URI of workspace w is /w/w).
  function mlflowLinkTarget(hash) {
    if (hash.indexOf("#/") !== 0) { return null; }
    var parts = hash.substring(2).split("?")[0].split("/").filter(function (part) { return part !== ""; })
      .map(function (part) {
        try { return encodeURIComponent(decodeURIComponent(part)); } catch (e) { return encodeURIComponent(part); }
      });
    if (parts[0] === "experiments" && parts.length >= 2) {
      return parts[2] === "runs" && parts.length >= 4 ? "/runs/" + parts[3] : "/experiments/" + parts[1];
    }
    if (parts[0] === "models" && parts.length >= 2) {
      return "/models/" + parts[1] + (parts[2] === "versions" && parts.length >= 4 ? "/versions/" + parts[3] : "");
    }
    return null;
  }

  (function followMlflowLink() {
    var target = mlflowLinkTarget(window.location.hash);
    if (target !== null) {
      var workspace = window.location.pathname.match(/^\/w\/[^\/]+/);
      window.location.replace((workspace ? workspace[0] : "") + target);
    }
  })();

  function csrfHeaders() {
    var raw = document.body && document.body.getAttribute("hx-headers");
    try { return raw ? JSON.parse(raw) : {}; } catch (e) { return {}; }
  }

  var atelier = {};

  atelier.switchWorkspace = function (form) {
    var name = form.querySelector("select").value;
    window.location.href = name === "default" ? "/" : "/w/" + encodeURIComponent(name) + "/";
    return false;
  };

  atelier.login = function (form) {
    var error = document.getElementById("login-error");
    error.hidden = true;
    fetch("/api/v1/auth/login", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      credentials: "same-origin",
      body: JSON.stringify({username: form.username.value, password: form.password.value})
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.message || ("HTTP " + response.status)); }
        window.location.href = form.getAttribute("data-next") || "/";
      });
    }).catch(function (e) {
      error.textContent = e.message;
      error.hidden = false;
    });
    return false;
  };

  atelier.logout = function () {
    var headers = csrfHeaders();
    fetch("/api/v1/auth/logout", {method: "POST", headers: headers, credentials: "same-origin"})
      .then(function () { window.location.href = "/login"; });
  };

  // ---- charts

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

  // series: [{label, points: [[step, timestamp, value], ...]}]; xAxis: "step" or "time".
  function align(series, xAxis) {
    var xs = {}, column = xAxis === "time" ? 1 : 0;
    series.forEach(function (s) { s.points.forEach(function (p) { xs[xAxis === "time" ? p[1] / 1000 : p[0]] = true; }); });
    var x = Object.keys(xs).map(Number).sort(function (a, b) { return a - b; });
    var index = {};
    x.forEach(function (value, i) { index[value] = i; });
    var data = [x];
    series.forEach(function (s) {
      var ys = new Array(x.length).fill(null);
      s.points.forEach(function (p) {
        var key = column === 1 ? p[1] / 1000 : p[0];
        ys[index[key]] = p[2] === null ? null : Number(p[2]);
      });
      data.push(ys);
    });
    return data;
  }

  var COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f"];

  function draw(container) {
    var holder = container.querySelector(".plot");
    var series = JSON.parse(container.getAttribute("data-series"));
    var controls = container.querySelector(".chart-controls");
    var xAxis = controls ? controls.querySelector("[name=x]").value : "step";
    var weight = controls ? Number(controls.querySelector("[name=smoothing]").value) : 0;
    var log = controls ? controls.querySelector("[name=log]").checked : false;
    var data = align(series, xAxis);
    for (var i = 1; i < data.length; i++) {
      data[i] = smooth(data[i], weight);
      if (log) { data[i] = data[i].map(function (v) { return v !== null && v > 0 ? v : null; }); }
    }
    holder.innerHTML = "";
    var width = Math.max(240, holder.clientWidth || 640);
    var options = {
      width: width, height: 260,
      scales: {x: {time: xAxis === "time"}, y: log ? {distr: 3} : {}},
      axes: [{}, {size: 70}],
      series: [{label: xAxis}].concat(series.map(function (s, n) {
        return {label: s.label, stroke: COLORS[n % COLORS.length], width: 1.5, spanGaps: true, points: {show: data[0].length < 60}};
      })),
      hooks: {setSelect: [function (u) { zoomed(container, u); }]}
    };
    var plot = new uPlot(options, data, holder);
    container._plot = plot;
    container.setAttribute("data-rendered-points", String(data[0].length));
  }

  // Zooming on a step axis asks the server for the points of that step range at full detail.
  function zoomed(container, u) {
    var url = container.getAttribute("data-detail-url");
    var controls = container.querySelector(".chart-controls");
    if (!url || u.select.width < 2 || (controls && controls.querySelector("[name=x]").value !== "step")) { return; }
    var start = Math.floor(u.posToVal(u.select.left, "x"));
    var end = Math.ceil(u.posToVal(u.select.left + u.select.width, "x"));
    fetch(url + "&start=" + start + "&end=" + end, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var series = JSON.parse(container.getAttribute("data-series"));
        series[0].points = body.points;
        container.setAttribute("data-series", JSON.stringify(series));
        container.setAttribute("data-point-count", String(body.points.length));
        container.setAttribute("data-zoom", start + ".." + end);
        draw(container);
      });
  }

  atelier.resetChart = function (button) {
    var container = button.closest(".chart");
    container.setAttribute("data-series", container.getAttribute("data-initial-series"));
    container.setAttribute("data-point-count", container.getAttribute("data-initial-count"));
    container.removeAttribute("data-zoom");
    draw(container);
  };

  atelier.redraw = function (element) { draw(element.closest(".chart")); };

  function drawAll(root) {
    if (!window.uPlot) { return; }
    (root || document).querySelectorAll(".chart[data-series]").forEach(function (container) {
      if (!container.hasAttribute("data-initial-series")) {
        container.setAttribute("data-initial-series", container.getAttribute("data-series"));
        container.setAttribute("data-initial-count", container.getAttribute("data-point-count"));
      }
      draw(container);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });

  // Selecting runs to compare: the compare button is enabled from two runs.
  atelier.selectionChanged = function (form) {
    var n = form.querySelectorAll("input[name=runs]:checked").length;
    var button = form.querySelector("#compare-button");
    if (button) { button.disabled = n < 2; button.textContent = "Compare " + n + " runs"; }
  };

  // The navigation drawer of small screens (the menu button and the backdrop behind the open drawer).
  atelier.toggleNav = function (open) {
    var body = document.body;
    var show = open === undefined ? !body.classList.contains("nav-open") : open;
    body.classList.toggle("nav-open", show);
    var button = document.getElementById("menu-button");
    if (button) { button.setAttribute("aria-expanded", String(show)); }
  };

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("nav-open")) { atelier.toggleNav(false); }
  });

  // ---- actions named by data-* attributes

  atelier.actions = {
    "switch-workspace": function (element) { atelier.switchWorkspace(element.form || element); },
    "logout": function () { atelier.logout(); },
    "login": function (form) { atelier.login(form); },
    "submit-form": function (element) { element.form.submit(); },
    "selection-changed": function (form) { atelier.selectionChanged(form); },
    "redraw": function (element) { atelier.redraw(element); },
    "reset-chart": function (button) { atelier.resetChart(button); },
    "back": function () { window.history.back(); },
    "toggle-nav": function () { atelier.toggleNav(); }
  };

  ["click", "change", "input", "submit"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var element = event.target.closest && event.target.closest("[data-" + type + "]");
      if (!element) { return; }
      var action = atelier.actions[element.getAttribute("data-" + type)];
      if (!action) { return; }
      if (type === "submit" || (type === "click" && element.tagName === "A")) { event.preventDefault(); }
      action(element, event);
    });
  });

  window.atelier = atelier;
})();
