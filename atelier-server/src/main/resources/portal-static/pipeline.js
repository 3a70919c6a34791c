// A pipeline job's page in the browser: draws its steps as a graph (cytoscape, laid out left to right by dagre) and
// a table of the same steps, both refreshed from the jobs API while the pipeline runs. A step links to its job
// (logs, outputs) and its run; a reused step to the job it reused. Everything that came from the server is written
// as text (textContent, cytoscape labels), never as HTML.
(function () {
  "use strict";

  var REFRESH_MS = 2000;
  var TERMINAL = {Completed: true, Failed: true, Canceled: true};
  var COLOURS = {
    Queued: ["#f3f4f6", "#4b5563"], Running: ["#dbeafe", "#1d4ed8"], Completed: ["#dcfce7", "#15803d"],
    Reused: ["#ecfccb", "#4d7c0f"], Failed: ["#fee2e2", "#b91c1c"], Canceled: ["#fef3c7", "#92400e"],
    Skipped: ["#f3f4f6", "#9ca3af"]
  };

  function byId(id) { return document.getElementById(id); }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function link(href, text, className) {
    var a = element("a", text, className);
    a.href = href;
    return a;
  }

  function layout(steps) {
    var graph = new dagre.graphlib.Graph();
    graph.setGraph({rankdir: "LR", nodesep: 30, ranksep: 70});
    graph.setDefaultEdgeLabel(function () { return {}; });
    steps.forEach(function (step) { graph.setNode(step.name, {width: 170, height: 54}); });
    steps.forEach(function (step) {
      (step.depends_on || []).forEach(function (upstream) {
        if (graph.hasNode(upstream)) { graph.setEdge(upstream, step.name); }
      });
    });
    dagre.layout(graph);
    var positions = {};
    graph.nodes().forEach(function (name) { positions[name] = {x: graph.node(name).x, y: graph.node(name).y}; });
    return positions;
  }

  function elements(steps) {
    var positions = layout(steps);
    var result = [];
    steps.forEach(function (step) {
      var colours = COLOURS[step.status] || COLOURS.Queued;
      result.push({group: "nodes", data: {id: step.name, label: step.name + "\n" + step.status, status: step.status,
        background: colours[0], border: colours[1], job: step.job_name || "", reused: step.reused_from || ""},
        position: positions[step.name]});
    });
    steps.forEach(function (step) {
      (step.depends_on || []).forEach(function (upstream) {
        result.push({group: "edges", data: {id: upstream + "->" + step.name, source: upstream, target: step.name}});
      });
    });
    return result;
  }

  function draw(container, steps, base) {
    var graph = cytoscape({
      container: container,
      elements: elements(steps),
      layout: {name: "preset", fit: true, padding: 20},
      userZoomingEnabled: true, userPanningEnabled: true, boxSelectionEnabled: false, autoungrabify: true,
      style: [
        {selector: "node", style: {"shape": "round-rectangle", "width": 170, "height": 54, "label": "data(label)",
          "text-wrap": "wrap", "text-valign": "center", "text-halign": "center", "font-size": 12,
          "background-color": "data(background)", "border-width": 2, "border-color": "data(border)", "color": "#111827"}},
        {selector: "node[reused != '']", style: {"border-style": "dashed"}},
        {selector: "edge", style: {"width": 2, "line-color": "#9ca3af", "target-arrow-color": "#9ca3af",
          "target-arrow-shape": "triangle", "curve-style": "bezier"}}
      ]
    });
    graph.on("tap", "node", function (event) {
      var job = event.target.data("reused") || event.target.data("job");
      if (job) { window.location.href = base + "/jobs/" + encodeURIComponent(job); }
    });
    return graph;
  }

  function update(graph, steps) {
    steps.forEach(function (step) {
      var node = graph.getElementById(step.name);
      var colours = COLOURS[step.status] || COLOURS.Queued;
      node.data({label: step.name + "\n" + step.status, status: step.status, background: colours[0], border: colours[1],
        job: step.job_name || "", reused: step.reused_from || ""});
    });
  }

  function table(body, steps, base) {
    body.textContent = "";
    steps.forEach(function (step) {
      var row = element("tr");
      row.setAttribute("data-step", step.name);
      row.appendChild(element("td", step.name, "mono"));
      var status = element("td");
      status.appendChild(element("span", step.status, "status step-status " + step.status));
      row.appendChild(status);
      var job = element("td");
      if (step.job_name) { job.appendChild(link(base + "/jobs/" + encodeURIComponent(step.job_name), step.job_name, "mono")); }
      if (step.reused_from) {
        job.appendChild(document.createTextNode(" reused from "));
        job.appendChild(link(base + "/jobs/" + encodeURIComponent(step.reused_from), step.reused_from, "mono"));
      }
      row.appendChild(job);
      var run = element("td");
      if (step.run_id) { run.appendChild(link(base + "/runs/" + encodeURIComponent(step.run_id), step.run_id.substring(0, 8), "mono")); }
      row.appendChild(run);
      var outputs = element("td");
      Object.keys(step.outputs || {}).forEach(function (name) {
        outputs.appendChild(element("div", name + ": " + step.outputs[name], "mono"));
      });
      row.appendChild(outputs);
      body.appendChild(row);
    });
  }

  function start() {
    var container = byId("pipeline-graph");
    if (!container) { return; }
    var api = container.getAttribute("data-api");
    var base = container.getAttribute("data-base");
    var body = byId("pipeline-steps-body");
    var graph = null, shape = "";
    function refresh() {
      fetch(api, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (job) {
        var steps = job.steps || [];
        var current = JSON.stringify(steps.map(function (s) { return [s.name, s.depends_on]; }));
        if (graph === null || current !== shape) {
          if (graph !== null) { graph.destroy(); }
          graph = draw(container, steps, base);
          shape = current;
          window.atelierPipelineGraph = graph;
        } else {
          update(graph, steps);
        }
        table(body, steps, base);
        var status = byId("job-status");
        if (status && job.status) {
          status.textContent = job.status;
        }
        if (!TERMINAL[job.status]) { window.setTimeout(refresh, REFRESH_MS); }
      }).catch(function (error) {
        byId("pipeline-error").textContent = "Could not read the pipeline's steps: " + error.message;
        window.setTimeout(refresh, REFRESH_MS * 2);
      });
    }
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
