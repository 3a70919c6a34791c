// An endpoint's page in the browser: the keys toggle, live request charts (uPlot) from the metrics
// API, the test form that calls the scoring routes, and the drift reports. Everything it shows that
// came from the server is written as text (textContent), never as HTML.
(function () {
  "use strict";

  var REFRESH_MS = 5000;
  var WINDOW_MS = 3600000;
  var page, charts = {}, edited = false;

  function csrfHeaders() {
    var raw = document.body && document.body.getAttribute("hx-headers");
    try { return raw ? JSON.parse(raw) : {}; } catch (e) { return {}; }
  }

  function byId(id) { return document.getElementById(id); }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  var endpoints = {};

  endpoints.toggleKeys = function (button) {
    var keys = byId("key-values");
    keys.hidden = !keys.hidden;
    button.textContent = keys.hidden ? "Show keys" : "Hide keys";
  };

  // ---- live charts

  function series(points, field, fallback) {
    return points.map(function (p) {
      var v = p[field] !== undefined ? p[field] : p[fallback];
      return v === undefined || v === null ? null : Number(v);
    });
  }

  function plot(id, labels, colors, data) {
    var holder = byId(id);
    if (charts[id]) { charts[id].setData(data); return; }
    holder.innerHTML = "";
    var options = {
      width: Math.max(320, holder.clientWidth || 460), height: 220,
      scales: {x: {time: true}}, axes: [{}, {size: 60}],
      series: [{label: "time"}].concat(labels.map(function (label, n) {
        return {label: label, stroke: colors[n], width: 1.5, spanGaps: false};
      }))
    };
    charts[id] = new uPlot(options, data, holder);
  }

  function showMetrics(points) {
    var empty = byId("metrics-empty"), holder = byId("metrics-charts");
    if (!points.length) {
      empty.textContent = "No requests in the last hour.";
      empty.hidden = false;
      holder.hidden = true;
      return;
    }
    empty.hidden = true;
    holder.hidden = false;
    holder.setAttribute("data-points", String(points.length));
    var x = points.map(function (p) { return p.time / 1000; });
    plot("chart-requests", ["requests", "errors"], ["#2563eb", "#dc2626"],
      [x, series(points, "requests"), series(points, "errors")]);
    plot("chart-latency", ["p50", "p90", "p99"], ["#16a34a", "#ea580c", "#9333ea"],
      [x, series(points, "latency_p50_ms", "p50_ms"), series(points, "latency_p90_ms", "p90_ms"), series(points, "latency_p99_ms", "p99_ms")]);
  }

  endpoints.refreshMetrics = function () {
    if (!page || !window.uPlot) { return; }
    var now = Date.now();
    var deployment = byId("metrics-deployment").value;
    var url = page.api + "/metrics?from=" + (now - WINDOW_MS) + "&to=" + now
      + (deployment ? "&deployment=" + encodeURIComponent(deployment) : "");
    Object.keys(charts).forEach(function (id) { if (charts[id]._deployment !== deployment) { charts[id].destroy(); delete charts[id]; } });
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (response) {
      if (response.status === 404) {
        byId("metrics-empty").textContent = "No metrics yet.";
        byId("metrics-charts").hidden = true;
        return;
      }
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.message || ("HTTP " + response.status)); }
        showMetrics(body.points || []);
        Object.keys(charts).forEach(function (id) { charts[id]._deployment = deployment; });
      });
    }).catch(function (e) {
      byId("metrics-empty").textContent = "Metrics unavailable: " + e.message;
    });
  };

  // ---- test form

  function sample(datatype) {
    var type = String(datatype || "FP32").toUpperCase();
    if (type === "BOOL") { return false; }
    if (type === "BYTES") { return "a"; }
    if (type.indexOf("INT") >= 0) { return 1; }
    return 0.5;
  }

  function nested(shape, value) {
    if (!shape.length) { return value; }
    var out = [];
    for (var i = 0; i < shape[0]; i++) { out.push(nested(shape.slice(1), value)); }
    return out;
  }

  function concrete(shape) {
    var dims = (shape && shape.length ? shape : [-1]).map(function (d) { return d < 0 ? 1 : d; });
    return dims;
  }

  // Example bodies from the Open Inference model metadata (inputs: name, datatype, shape).
  function examples(inputs) {
    var columns = inputs.length > 1 || (inputs.length === 1 && (inputs[0].shape || []).length <= 1);
    var infer = {inputs: inputs.map(function (input) {
      var shape = concrete(input.shape);
      var size = shape.reduce(function (a, b) { return a * b; }, 1);
      return {name: input.name, shape: shape, datatype: input.datatype, data: new Array(size).fill(sample(input.datatype))};
    })};
    if (columns) {
      var row = inputs.map(function (input) { return sample(input.datatype); });
      return {
        score: {data: [row]},
        invocations: {dataframe_split: {columns: inputs.map(function (i) { return i.name; }), data: [row]}},
        infer: infer
      };
    }
    var tensor = nested(concrete(inputs[0].shape), sample(inputs[0].datatype));
    return {score: {data: tensor}, invocations: {inputs: tensor}, infer: infer};
  }

  var GENERIC = {
    score: {data: [[0.5, 0.5]]},
    invocations: {inputs: [[0.5, 0.5]]},
    infer: {inputs: [{name: "input_0", shape: [1, 2], datatype: "FP32", data: [0.5, 0.5]}]}
  };
  var known = GENERIC;

  function scoringHeaders(form, json) {
    var headers = {};
    if (json) { headers["Content-Type"] = "application/json"; }
    var key = form.getAttribute("data-key");
    if (page.authMode === "key" && key) {
      headers["Authorization"] = "Bearer " + key;
    } else {
      var csrf = csrfHeaders();
      Object.keys(csrf).forEach(function (name) { headers[name] = csrf[name]; });
    }
    if (form.deployment.value) { headers["azureml-model-deployment"] = form.deployment.value; }
    return headers;
  }

  function path(protocol) {
    if (protocol === "invocations") { return "/invocations"; }
    if (protocol === "infer") { return "/v2/models/" + encodeURIComponent(page.endpoint) + "/infer"; }
    return "/score";
  }

  // Indented JSON with arrays of numbers, booleans and nulls kept on one line (strings are left as they are).
  function pretty(value) {
    return JSON.stringify(value, null, 2).replace(/\[(\s*(-?[0-9.eE+-]+|true|false|null)\s*,?)+\s*\]/g, function (array) {
      return array.replace(/\s+/g, "").replace(/,/g, ", ");
    });
  }

  endpoints.protocolChanged = function (form) {
    if (!edited) { form.body.value = pretty(known[form.protocol.value]); }
  };

  function loadExamples(form) {
    fetch(page.base + "/v2/models/" + encodeURIComponent(page.endpoint), {credentials: "same-origin", headers: scoringHeaders(form, false)})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (metadata) {
        if (metadata && metadata.inputs && metadata.inputs.length) { known = examples(metadata.inputs); }
        endpoints.protocolChanged(form);
      }).catch(function () { endpoints.protocolChanged(form); });
  }

  endpoints.send = function (form) {
    var result = byId("test-result");
    byId("test-send").disabled = true;
    fetch(page.base + path(form.protocol.value), {
      method: "POST", credentials: "same-origin", headers: scoringHeaders(form, true), body: form.body.value
    }).then(function (response) {
      return response.text().then(function (text) {
        byId("test-status").textContent = response.status + " " + (response.statusText || "");
        byId("test-answered-by").textContent = response.headers.get("azureml-model-deployment") || "–";
        var shown = text;
        try { shown = pretty(JSON.parse(text)); } catch (e) { /* not JSON: shown as sent */ }
        byId("test-answer").textContent = shown;
        result.setAttribute("data-status", String(response.status));
      });
    }).catch(function (e) {
      byId("test-status").textContent = "request failed: " + e.message;
      result.setAttribute("data-status", "0");
    }).then(function () {
      result.hidden = false;
      byId("test-send").disabled = false;
    });
    return false;
  };

  // ---- drift reports

  function number(value, digits) {
    return value === null || value === undefined || !isFinite(value) ? "–" : Number(value).toPrecision(digits);
  }

  function reportTable(report) {
    var section = element("div", null, "drift-report");
    section.setAttribute("data-report", report.id);
    var title = element("h3", (report.drift_detected ? "Drift detected" : "No drift") + " · reference " + report.reference
      + (report.deployment ? " · deployment " + report.deployment : ""));
    section.appendChild(title);
    section.appendChild(element("p", "Logged requests " + new Date(report.from || 0).toISOString() + " to "
      + new Date(report.to).toISOString() + " (" + report.current_rows + " rows against " + report.reference_rows + ")", "muted"));
    var table = element("table");
    var head = element("tr");
    ["Feature", "Kind", "PSI", "Test", "p-value", "Drifted"].forEach(function (h) { head.appendChild(element("th", h)); });
    table.appendChild(head);
    (report.features || []).forEach(function (feature) {
      var row = element("tr", null, feature.drifted ? "drifted" : "");
      row.setAttribute("data-feature", feature.name);
      [feature.name, feature.kind, number(feature.psi, 3), feature.test, number(feature.p_value, 3), feature.drifted ? "yes" : "no"]
        .forEach(function (cell) { row.appendChild(element("td", cell)); });
      table.appendChild(row);
    });
    section.appendChild(table);
    return section;
  }

  endpoints.loadDrift = function () {
    var empty = byId("drift-empty"), holder = byId("drift-reports");
    fetch(page.api + "/drift-reports", {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (response) {
      if (response.status === 404) { empty.textContent = "No drift reports (this server does not make them yet)."; return; }
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.message || ("HTTP " + response.status)); }
        var reports = body.drift_reports || [];
        holder.innerHTML = "";
        empty.textContent = reports.length ? "" : "No drift reports yet.";
        empty.hidden = reports.length > 0;
        reports.forEach(function (report) { holder.appendChild(reportTable(report)); });
      });
    }).catch(function (e) { empty.textContent = "Drift reports unavailable: " + e.message; });
  };

  endpoints.requestDrift = function (form) {
    var error = byId("drift-error");
    error.hidden = true;
    var now = Date.now();
    var request = {reference: form.reference.value.trim(), to: String(now)};
    if (form.period.value) { request.from = String(now - Number(form.period.value)); }
    if (form.deployment.value) { request.deployment = form.deployment.value; }
    var headers = csrfHeaders();
    headers["Content-Type"] = "application/json";
    fetch(page.api + "/drift-reports", {method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(request)})
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.ok) { endpoints.loadDrift(); return; }
          var message = "HTTP " + response.status;
          try { message = JSON.parse(text).message || message; } catch (e) { /* keep the status */ }
          throw new Error(response.status === 404 ? "this server does not make drift reports yet" : message);
        });
      }).catch(function (e) {
        error.textContent = e.message;
        error.hidden = false;
      });
    return false;
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = byId("endpoint-page");
    if (!root) { return; }
    page = {
      endpoint: root.getAttribute("data-endpoint"), api: root.getAttribute("data-api"),
      base: root.getAttribute("data-base"), authMode: root.getAttribute("data-auth-mode")
    };
    var form = byId("test-form");
    if (form) {
      form.body.addEventListener("input", function () { edited = true; });
      loadExamples(form);
    }
    endpoints.refreshMetrics();
    window.setInterval(endpoints.refreshMetrics, REFRESH_MS);
    endpoints.loadDrift();
  });

  // The page's elements name these in data-click, data-change and data-submit (portal.js runs them).
  if (window.atelier && window.atelier.actions) {
    window.atelier.actions["toggle-keys"] = function (button) { endpoints.toggleKeys(button); };
    window.atelier.actions["refresh-metrics"] = function () { endpoints.refreshMetrics(); };
    window.atelier.actions["send-test"] = function (form) { endpoints.send(form); };
    window.atelier.actions["protocol-changed"] = function (select) { endpoints.protocolChanged(select.form); };
    window.atelier.actions["request-drift"] = function (form) { endpoints.requestDrift(form); };
  }
  window.atelierEndpoints = endpoints;
})();
