// The designer (docs/designer.md): a pipeline drawn on a cytoscape canvas from the workspace's components, saved as
// versions of a draft through /api/v1/designer, checked by the jobs API's own validation and submitted as an ordinary
// pipeline job. The draft's document is {pipeline: <pipeline job document>, layout: {<step>: {x, y}}}: this script edits
// the pipeline document in place (steps, input values and bindings, settings) and keeps every field it does not draw,
// so an imported pipeline exports unchanged. Everything that came from the server is written as text, never as HTML;
// no inline handlers (the portal's Content-Security-Policy): listeners are attached here.
(function () {
  "use strict";

  var SAVE_DELAY_MS = 800;
  var POLL_MS = 1500;
  var NODE_WIDTH = 190, PORT_GAP = 20, NODE_TOP = 34;
  // Below this zoom no label is drawn at a readable size, so none is set: cytoscape then measures no text when it first
  // paints a large graph (the cost of opening one, docs/designer.md "Limits").
  var LABEL_ZOOM = 0.55;
  var LITERAL = {number: true, integer: true, boolean: true, string: true};
  var TERMINAL = {Completed: true, Failed: true, Canceled: true};
  var STATUS_COLOURS = {
    Queued: ["#f3f4f6", "#4b5563"], Running: ["#dbeafe", "#1d4ed8"], Completed: ["#dcfce7", "#15803d"],
    Reused: ["#ecfccb", "#4d7c0f"], Failed: ["#fee2e2", "#b91c1c"], Canceled: ["#fef3c7", "#92400e"],
    Skipped: ["#f3f4f6", "#9ca3af"]
  };
  var BINDING = /^\$\{\{\s*parent\.jobs\.([A-Za-z0-9_]+)\.outputs\.([A-Za-z0-9_]+)\s*\}\}$/;

  function byId(id) { return document.getElementById(id); }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function csrfHeaders(extra) {
    var headers = {};
    var raw = document.body && document.body.getAttribute("hx-headers");
    try { headers = raw ? JSON.parse(raw) : {}; } catch (e) { headers = {}; }
    Object.keys(extra || {}).forEach(function (key) { headers[key] = extra[key]; });
    return headers;
  }

  // Calls the API; resolves with the parsed answer, rejects with the server's message.
  function api(method, url, body) {
    var options = {method: method, credentials: "same-origin", headers: csrfHeaders({"Accept": "application/json"})};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : {}; } catch (e) { parsed = {message: text}; }
        if (!response.ok) {
          var error = new Error((parsed && parsed.message) || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        }
        return parsed;
      });
    });
  }

  // Azure ML's binding rules, as the pipeline API applies them (docs/pipelines.md, "Checked before anything is written").
  function compatible(outputType, inputType) {
    if (!outputType || !inputType || outputType === "any" || inputType === "any") { return true; }
    if (outputType === inputType) { return true; }
    if (outputType === "integer" && inputType === "number") { return true; }
    var folderLike = {mltable: true, mlflow_model: true};
    return (outputType === "uri_folder" && folderLike[inputType]) || (inputType === "uri_folder" && folderLike[outputType]);
  }

  function componentReference(ref) {
    var bare = ref.indexOf("azureml:") === 0 ? ref.substring(8) : ref;
    var at = bare.indexOf("@");
    if (at > 0) { return {name: bare.substring(0, at), version: null}; }
    var colon = bare.lastIndexOf(":");
    return colon > 0 ? {name: bare.substring(0, colon), version: bare.substring(colon + 1)} : {name: bare, version: null};
  }

  // ---- The list page: new draft, import. ----
  function startList(root) {
    var apiBase = root.getAttribute("data-api"), base = root.getAttribute("data-base");
    function open(draft) { window.location.href = base + "/designer/" + encodeURIComponent(draft.id); }
    function fail(error) { byId("designer-error").textContent = error.message; }
    var create = byId("new-draft");
    if (create) {
      create.addEventListener("click", function () {
        api("POST", apiBase + "/designer/drafts", {name: byId("new-draft-name").value || "Untitled pipeline"}).then(open, fail);
      });
    }
    var importer = byId("import-yaml");
    if (importer) {
      importer.addEventListener("change", function () {
        var file = importer.files[0];
        if (!file) { return; }
        file.text().then(function (text) {
          return api("POST", apiBase + "/designer/drafts", {name: file.name.replace(/\.ya?ml$/, ""), pipeline_yaml: text});
        }).then(open, fail);
      });
    }
  }

  // ---- "Open as draft" on a pipeline job's page. ----
  function startOpenAsDraft(button) {
    button.addEventListener("click", function () {
      api("POST", button.getAttribute("data-api") + "/designer/drafts", {from_job: button.getAttribute("data-job")}).then(function (draft) {
        window.location.href = button.getAttribute("data-base") + "/designer/" + encodeURIComponent(draft.id);
      }, function (error) { byId("pipeline-error").textContent = error.message; });
    });
  }

  // ---- The editor. ----
  function startEditor(root) {
    var apiBase = root.getAttribute("data-api"), base = root.getAttribute("data-base");
    var draftId = root.getAttribute("data-draft");
    var editable = root.getAttribute("data-editable") === "true";
    var version = Number(root.getAttribute("data-version"));
    var started = performance.now();
    var doc = null, draftName = "";
    var components = {};            // "name:version" -> component version (the API's answer)
    var latest = {};                // name -> "name:version" of the latest version
    var undoStack = [], redoStack = [], clipboard = null;
    var pendingPort = null, saveTimer = null, saving = false, saveAgain = false;
    var errors = {};                // step -> messages of the last validation (the server's first error, the editor's own checks)
    var statuses = {};              // step -> status of the submitted job's step
    var runs = {};                  // step -> {id, metrics} of the submitted job's step run, once it ended
    var dataAssets = [];            // the workspace's data assets (latest versions), for the data inputs' lists
    var message = byId("designer-message");
    var container = byId("designer-canvas");

    var said = 0;                   // messages said so far: an autosave's validation does not hide a newer one,
    var checkedOnRequest = false;   // nor the result of Validate since the last change
    function say(text, kind) {
      said += 1;
      message.textContent = text;
      message.title = text;
      message.className = "designer-message" + (kind ? " " + kind : "");
    }

    var cy = cytoscape({
      // Large graphs: pan and zoom move a texture of the last frame, labels too small to read are not drawn.
      container: container, elements: [], wheelSensitivity: 0.3, boxSelectionEnabled: true, autoungrabify: !editable,
      textureOnViewport: true, pixelRatio: 1,
      style: [
        {selector: "node.step", style: {"shape": "round-rectangle", "width": "data(width)", "height": "data(height)",
          "background-color": "data(background)", "border-width": 2, "border-color": "data(border)",
          "text-valign": "top", "text-halign": "center", "text-margin-y": 30, "text-wrap": "wrap", "font-size": 12,
          "font-weight": 600, "color": "#111827", "text-max-width": NODE_WIDTH - 10, "min-zoomed-font-size": 7}},
        {selector: "node.named", style: {"label": "data(label)"}},
        {selector: "node.step:selected", style: {"border-color": "#2563eb", "border-width": 3}},
        {selector: "node.step.invalid", style: {"border-color": "#b91c1c", "border-width": 3, "border-style": "dashed"}},
        {selector: "edge", style: {"width": 2, "line-color": "#9ca3af", "target-arrow-color": "#9ca3af",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "source-endpoint": "data(sourceEndpoint)",
          "target-endpoint": "data(targetEndpoint)"}},
        {selector: "edge:selected", style: {"line-color": "#2563eb", "target-arrow-color": "#2563eb", "width": 3}}
      ]
    });
    // Ports are drawn over the canvas as decorations of their step and found by position (designer-ports.js).
    var ports = window.AtelierDesignerPorts(cy, container, {labelZoom: LABEL_ZOOM, nodeTop: NODE_TOP, portGap: PORT_GAP});
    var pipelineIo = window.AtelierDesignerPipelineIo({editable: editable, change: change, say: say, jobs: jobs, interfaceOf: interfaceOf,
      pipeline: function () { return doc.pipeline; }, dataAssets: function () { return dataAssets; }, field: field,
      textControl: textControl, selectControl: selectControl, element: element});

    // -- The document. --
    function jobs() {
      if (!doc.pipeline.jobs) { doc.pipeline.jobs = {}; }
      return doc.pipeline.jobs;
    }

    function componentOf(step) {
      var ref = step.type === "sweep" ? step.trial : step.component;
      if (ref && typeof ref === "object") { return {document: ref}; }
      if (typeof ref === "string") {
        var parsed = componentReference(ref);
        var key = parsed.version ? parsed.name + ":" + parsed.version : latest[parsed.name];
        return key ? components[key] || null : null;
      }
      return null;
    }

    // The step's ports: the component's inputs and outputs, or (an inline command step) those its bindings name.
    function interfaceOf(step) {
      var component = componentOf(step);
      var inputs = [], outputs = [];
      if (component) {
        var declared = component.document;
        Object.keys(declared.inputs || {}).forEach(function (name) {
          var spec = declared.inputs[name] || {};
          inputs.push({name: name, type: spec.type || "string", spec: spec});
        });
        Object.keys(declared.outputs || {}).forEach(function (name) {
          outputs.push({name: name, type: (declared.outputs[name] || {}).type || "uri_folder"});
        });
      } else {
        Object.keys(step.inputs || {}).forEach(function (name) {
          var value = step.inputs[name];
          var type = typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number")
            : typeof value === "boolean" ? "boolean" : (value && typeof value === "object" && value.type) || "any";
          inputs.push({name: name, type: type, spec: {type: type}});
        });
        Object.keys(step.outputs || {}).forEach(function (name) {
          var value = step.outputs[name];
          outputs.push({name: name, type: (value && typeof value === "object" && value.type) || "uri_folder"});
        });
      }
      return {inputs: inputs, outputs: outputs};
    }

    function snapshot() { return JSON.stringify({pipeline: doc.pipeline, layout: doc.layout}); }

    // Every change: remembered for undo, drawn, saved (debounced).
    function change(mutate) {
      if (!editable) { return false; }
      var before = snapshot();
      if (mutate() === false) { return false; }
      checkedOnRequest = false;
      undoStack.push(before);
      if (undoStack.length > 200) { undoStack.shift(); }
      redoStack = [];
      render();
      scheduleSave();
      return true;
    }

    function restore(text) {
      var restored = JSON.parse(text);
      doc.pipeline = restored.pipeline;
      doc.layout = restored.layout;
      render();
      scheduleSave();
    }

    function undo() {
      if (!editable || undoStack.length === 0) { return; }
      redoStack.push(snapshot());
      restore(undoStack.pop());
      say("Undone.");
    }

    function redo() {
      if (!editable || redoStack.length === 0) { return; }
      undoStack.push(snapshot());
      restore(redoStack.pop());
      say("Redone.");
    }

    function uniqueName(wanted) {
      var stem = String(wanted).replace(/[^A-Za-z0-9_]/g, "_") || "step";
      var name = stem, i = 2;
      while (jobs()[name]) { name = stem + "_" + i; i += 1; }
      return name;
    }

    function addStep(key, position) {
      var component = components[key];
      if (!component) { return null; }
      var name = uniqueName(component.name);
      change(function () {
        jobs()[name] = {type: "command", component: "azureml:" + component.name + ":" + component.version};
        doc.layout[name] = {x: Math.round(position.x), y: Math.round(position.y)};
      });
      say("Added " + name + ".");
      return name;
    }

    function bindingsTo(stepName) {
      var found = [];
      Object.keys(jobs()).forEach(function (name) {
        var inputs = jobs()[name].inputs || {};
        Object.keys(inputs).forEach(function (input) {
          var match = typeof inputs[input] === "string" && BINDING.exec(inputs[input]);
          if (match && match[1] === stepName) { found.push({step: name, input: input}); }
        });
      });
      return found;
    }

    function upstream(stepName) {
      var result = [];
      var inputs = jobs()[stepName].inputs || {};
      Object.keys(inputs).forEach(function (input) {
        var match = typeof inputs[input] === "string" && BINDING.exec(inputs[input]);
        if (match) { result.push(match[1]); }
      });
      return result;
    }

    function reaches(from, to) {
      var seen = {}, queue = [from];
      while (queue.length) {
        var current = queue.shift();
        if (current === to) { return true; }
        if (seen[current] || !jobs()[current]) { continue; }
        seen[current] = true;
        queue = queue.concat(upstream(current));
      }
      return false;
    }

    // Connects an output port to an input port, or says why not (no edge is drawn then).
    function connect(fromId, toId) {
      var from = ports.get(fromId), to = ports.get(toId);
      if (!from || !to || from.side !== "out" || to.side !== "in") {
        say("Connect an output (right) to an input (left).", "error");
        return false;
      }
      if (from.step === to.step) {
        say("Refused: a step cannot read its own output.", "error");
        return false;
      }
      if (!compatible(from.type, to.type)) {
        say("Refused: " + from.step + "." + from.port + " is " + from.type + ", " + to.step + "." + to.port + " takes "
          + to.type + ".", "error");
        return false;
      }
      if (reaches(from.step, to.step)) {
        say("Refused: " + from.step + " already depends on " + to.step + " (a cycle).", "error");
        return false;
      }
      change(function () {
        var step = jobs()[to.step];
        if (!step.inputs) { step.inputs = {}; }
        step.inputs[to.port] = "${{parent.jobs." + from.step + ".outputs." + from.port + "}}";
      });
      say("Connected " + from.step + "." + from.port + " → " + to.step + "." + to.port + ".", "ok");
      return true;
    }

    function removeSelected() {
      var steps = cy.$("node.step:selected").map(function (n) { return n.data("step"); });
      var edges = cy.$("edge:selected").map(function (e) { return {step: e.data("toStep"), input: e.data("toPort")}; });
      if (steps.length === 0 && edges.length === 0) { return; }
      change(function () {
        edges.forEach(function (edge) {
          if (jobs()[edge.step] && jobs()[edge.step].inputs) { delete jobs()[edge.step].inputs[edge.input]; }
        });
        steps.forEach(function (name) {
          bindingsTo(name).forEach(function (binding) { delete jobs()[binding.step].inputs[binding.input]; });
          delete jobs()[name];
          delete doc.layout[name];
        });
      });
      say("Deleted " + (steps.length ? steps.join(", ") : edges.length + " connection(s)") + ".");
    }

    // Copies the selected steps inside the page; answers them as the system clipboard's JSON
    // ({"atelier_designer_steps": [{name, step, position}]}), or null when no step is selected.
    function copySelected() {
      var steps = cy.$("node.step:selected").map(function (n) { return n.data("step"); });
      if (steps.length === 0) { return null; }
      clipboard = steps.map(function (name) {
        return {name: name, step: JSON.parse(JSON.stringify(jobs()[name])), position: doc.layout[name] || {x: 0, y: 0}};
      });
      say("Copied " + steps.join(", ") + ".");
      return JSON.stringify({atelier_designer_steps: clipboard}, null, 2);
    }

    // The steps in a system clipboard's text, when it is the designer's JSON (from this page, another tab or a file).
    function stepsFromText(text) {
      var parsed;
      try { parsed = JSON.parse(text); } catch (e) { return null; }
      var items = parsed && parsed.atelier_designer_steps;
      if (!Array.isArray(items)) { return null; }
      var valid = items.filter(function (item) {
        return item && typeof item.name === "string" && item.step && typeof item.step === "object";
      }).map(function (item) {
        var position = item.position && isFinite(item.position.x) && isFinite(item.position.y) ? item.position : {x: 0, y: 0};
        return {name: item.name, step: item.step, position: {x: Number(position.x), y: Number(position.y)}};
      });
      return valid.length ? valid : null;
    }

    // Pastes the copied steps with new names; bindings between them follow, bindings to other steps are kept.
    function paste(items) {
      var source = items || clipboard;
      if (!source || source.length === 0) { return; }
      var renamed = {}, added = [];
      change(function () {
        source.forEach(function (item) { renamed[item.name] = uniqueName(item.name); jobs()[renamed[item.name]] = {}; });
        source.forEach(function (item) {
          var step = JSON.parse(JSON.stringify(item.step));
          Object.keys(step.inputs || {}).forEach(function (input) {
            var match = typeof step.inputs[input] === "string" && BINDING.exec(step.inputs[input]);
            if (match && renamed[match[1]]) {
              step.inputs[input] = "${{parent.jobs." + renamed[match[1]] + ".outputs." + match[2] + "}}";
            }
          });
          Object.keys(step.outputs || {}).forEach(function (output) {
            if (typeof step.outputs[output] === "string" && step.outputs[output].indexOf("parent.outputs.") >= 0) {
              delete step.outputs[output];   // a pipeline output is bound by one step only
            }
          });
          jobs()[renamed[item.name]] = step;
          doc.layout[renamed[item.name]] = {x: item.position.x + 40, y: item.position.y + 40};
          added.push(renamed[item.name]);
        });
      });
      cy.$(":selected").unselect();
      added.forEach(function (name) { cy.getElementById("s:" + name).select(); });
      say("Pasted " + added.join(", ") + ".");
    }

    function renameStep(oldName, wanted) {
      var name = String(wanted).trim();
      if (name === oldName) { return; }
      if (!/^[A-Za-z0-9_]+$/.test(name)) { say("A step name is letters, digits and _.", "error"); return; }
      if (jobs()[name]) { say("A step named " + name + " exists.", "error"); return; }
      change(function () {
        var renamed = {};
        Object.keys(jobs()).forEach(function (key) { renamed[key === oldName ? name : key] = jobs()[key]; });
        doc.pipeline.jobs = renamed;
        bindingsTo(oldName).forEach(function (binding) {
          var step = jobs()[binding.step];
          step.inputs[binding.input] = step.inputs[binding.input].replace("parent.jobs." + oldName + ".", "parent.jobs." + name + ".");
        });
        doc.layout[name] = doc.layout[oldName];
        delete doc.layout[oldName];
      });
      cy.getElementById("s:" + name).select();
    }

    // -- Drawing. --
    function stepSize(ports) {
      return {width: NODE_WIDTH, height: NODE_TOP + PORT_GAP * Math.max(1, ports.inputs.length, ports.outputs.length)};
    }

    function stepLabel(name, step) {
      var ref = step.type === "sweep" ? step.trial : step.component;
      var what = typeof ref === "string" ? componentReference(ref).name : (ref ? "inline component" : "command");
      return name + (statuses[name] ? " · " + statuses[name] : "") + headline(name) + "\n" + what;
    }

    // One metric on the step's box once its run ended: accuracy for a classifier's evaluation, r2 for a regressor's.
    function headline(name) {
      var metrics = runs[name] ? runs[name].metrics : {};
      var key = ["accuracy", "r2_score", "AUC_weighted"].filter(function (k) { return metrics[k] !== undefined; })[0];
      return key ? " · " + key + " " + formatMetric(metrics[key]) : "";
    }

    // Draws the document whole, in one batch: a node per step (its ports drawn with it, designer-ports.js), an edge per
    // binding between steps, from the output's port to the input's.
    function render() {
      var elements = [], drawn = [];
      labelled = cy.zoom() >= LABEL_ZOOM;
      var named = labelled ? " named" : "";
      var missing = Object.keys(jobs()).filter(function (name) { return !doc.layout[name]; });
      if (missing.length) { autoLayout(true); }
      Object.keys(jobs()).forEach(function (name) {
        var step = jobs()[name];
        var interfacePorts = interfaceOf(step), size = stepSize(interfacePorts), position = doc.layout[name];
        var colours = STATUS_COLOURS[statuses[name]] || ["#ffffff", "#6b7280"];
        elements.push({group: "nodes", classes: "step" + named + (errors[name] ? " invalid" : ""), position: {x: position.x, y: position.y},
          data: {id: "s:" + name, step: name, label: stepLabel(name, step), width: size.width, height: size.height,
            background: colours[0], border: colours[1], status: statuses[name] || "", error: (errors[name] || []).join("\n"),
            errors: (errors[name] || []).length}});
        drawn.push({name: name, width: size.width, height: size.height,
          inputs: interfacePorts.inputs.map(function (port) {
            var required = port.spec && !port.spec.optional && port.spec["default"] === undefined;
            return {name: port.name, type: port.type, colour: LITERAL[port.type] ? "#fde68a" : "#93c5fd",
              label: port.name + (required && (step.inputs || {})[port.name] === undefined ? " *" : "")};
          }),
          outputs: interfacePorts.outputs.map(function (port) {
            return {name: port.name, type: port.type, colour: "#86efac", label: port.name};
          })});
      });
      ports.set(drawn);
      Object.keys(jobs()).forEach(function (name) {
        var inputs = jobs()[name].inputs || {};
        Object.keys(inputs).forEach(function (input) {
          var match = typeof inputs[input] === "string" && BINDING.exec(inputs[input]);
          if (!match) { return; }
          var target = ports.endpoint("p:in:" + name + ":" + input);
          if (!jobs()[match[1]] || !target) { return; }
          elements.push({group: "edges", data: {id: "e:" + match[1] + "." + match[2] + "->" + name + "." + input,
            source: "s:" + match[1], target: "s:" + name, toStep: name, toPort: input,
            sourceEndpoint: ports.endpoint("p:out:" + match[1] + ":" + match[2]) || "outside-to-node", targetEndpoint: target}});
        });
      });
      var selected = cy.$(":selected").map(function (e) { return e.id(); });
      cy.batch(function () {
        cy.elements().remove();
        cy.add(elements);
        selected.forEach(function (id) { cy.getElementById(id).select(); });
      });
      pendingPort = null;
      ports.pending(null);
      showPanel();
    }

    // Labels follow the zoom (LABEL_ZOOM): set on every node when it is crossed, in one batch.
    var labelled = true;
    function updateLabels() {
      var wanted = cy.zoom() >= LABEL_ZOOM;
      if (wanted === labelled) { return; }
      labelled = wanted;
      cy.batch(function () { if (wanted) { cy.nodes().addClass("named"); } else { cy.nodes().removeClass("named"); } });
    }
    cy.on("zoom", updateLabels);

    // Fits the steps in the view from the document's positions (cytoscape's own fit measures every label: slow on large graphs).
    function fitSteps() {
      var names = Object.keys(jobs());
      if (names.length === 0) { return; }
      var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
      names.forEach(function (name) {
        var size = stepSize(interfaceOf(jobs()[name])), position = doc.layout[name];
        x1 = Math.min(x1, position.x - size.width / 2 - 40); x2 = Math.max(x2, position.x + size.width / 2 + 40);
        y1 = Math.min(y1, position.y - size.height / 2 - 20); y2 = Math.max(y2, position.y + size.height / 2 + 20);
      });
      var width = container.clientWidth || 800, height = container.clientHeight || 500;
      var zoom = Math.min(1.2, Math.min((width - 60) / (x2 - x1), (height - 60) / (y2 - y1)));
      cy.viewport({zoom: zoom, pan: {x: width / 2 - zoom * (x1 + x2) / 2, y: height / 2 - zoom * (y1 + y2) / 2}});
    }

    // Lays the steps out left to right with dagre; {onlyMissing} keeps the positions the document has.
    function autoLayout(onlyMissing) {
      var graph = new dagre.graphlib.Graph();
      graph.setGraph({rankdir: "LR", nodesep: 30, ranksep: 90});
      graph.setDefaultEdgeLabel(function () { return {}; });
      Object.keys(jobs()).forEach(function (name) {
        var size = stepSize(interfaceOf(jobs()[name]));
        graph.setNode(name, {width: size.width, height: size.height});
      });
      Object.keys(jobs()).forEach(function (name) {
        upstream(name).forEach(function (from) { if (graph.hasNode(from)) { graph.setEdge(from, name); } });
      });
      dagre.layout(graph);
      graph.nodes().forEach(function (name) {
        if (!onlyMissing || !doc.layout[name]) {
          doc.layout[name] = {x: Math.round(graph.node(name).x), y: Math.round(graph.node(name).y)};
        }
      });
    }

    // -- The side panel: the selected step's inputs, or the pipeline's settings. --
    function field(labelText, control, hint) {
      var row = element("label", null, "designer-field");
      row.appendChild(element("span", labelText));
      row.appendChild(control);
      if (hint) { row.appendChild(element("small", hint, "muted")); }
      return row;
    }

    function textControl(value, onChange, type) {
      var input = document.createElement("input");
      input.type = type || "text";
      input.value = value === undefined || value === null ? "" : String(value);
      input.disabled = !editable;
      input.addEventListener("change", function () { onChange(input.value); });
      return input;
    }

    function selectControl(options, value, onChange) {
      var select = document.createElement("select");
      options.forEach(function (option) {
        var item = element("option", option === "" ? "(default)" : option);
        item.value = option;
        select.appendChild(item);
      });
      select.value = value === undefined || value === null ? "" : String(value);
      select.disabled = !editable;
      select.addEventListener("change", function () { onChange(select.value); });
      return select;
    }

    function setInput(stepName, input, value) {
      change(function () {
        var step = jobs()[stepName];
        if (!step.inputs) { step.inputs = {}; }
        if (value === undefined) { delete step.inputs[input]; } else { step.inputs[input] = value; }
      });
    }

    function literalControl(stepName, port, value) {
      var spec = port.spec || {};
      function set(text) {
        if (text === "") { setInput(stepName, port.name, undefined); return; }
        if (port.type === "number" || port.type === "integer") {
          var number = Number(text);
          if (isNaN(number) || (port.type === "integer" && !Number.isInteger(number))) {
            say(stepName + "." + port.name + " takes " + (port.type === "integer" ? "an integer" : "a number") + ".", "error");
            return;
          }
          if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
            say(stepName + "." + port.name + " must be between " + (spec.min === undefined ? "−∞" : spec.min) + " and "
              + (spec.max === undefined ? "∞" : spec.max) + ".", "error");
            return;
          }
          setInput(stepName, port.name, number);
        } else if (port.type === "boolean") {
          setInput(stepName, port.name, text === "true");
        } else {
          setInput(stepName, port.name, text);
        }
      }
      var control;
      if (port.type === "boolean") {
        control = selectControl(["", "true", "false"], value, set);
      } else if (port.type === "string" && Array.isArray(spec["enum"])) {
        control = selectControl([""].concat(spec["enum"].map(String)), value, set);
      } else {
        control = textControl(value, set, port.type === "number" || port.type === "integer" ? "number" : "text");
        if (port.type === "number" || port.type === "integer") {
          control.step = port.type === "integer" ? "1" : "any";
          if (spec.min !== undefined) { control.min = spec.min; }
          if (spec.max !== undefined) { control.max = spec.max; }
        }
        if (spec["default"] !== undefined) { control.placeholder = String(spec["default"]); }
      }
      control.setAttribute("data-input", port.name);
      var hints = [port.type];
      if (spec["default"] !== undefined) { hints.push("default " + spec["default"]); }
      if (spec.min !== undefined || spec.max !== undefined) { hints.push("range " + (spec.min === undefined ? "" : spec.min) + "…" + (spec.max === undefined ? "" : spec.max)); }
      if (spec.optional) { hints.push("optional"); }
      return field(port.name, control, hints.join(", "));
    }

    // A data input not connected: a data asset from the workspace's list, or any reference or path typed in.
    function dataControl(stepName, port, value) {
      var path = value && typeof value === "object" ? value.path : "";
      function set(text) { setInput(stepName, port.name, text === "" ? undefined : {type: port.type, path: text}); }
      var wrapper = element("span", null, "designer-data-input");
      var assets = document.createElement("select");
      var none = element("option", "(choose a data asset)");
      none.value = "";
      assets.appendChild(none);
      dataAssets.forEach(function (asset) {
        var option = element("option", asset.name + " (" + asset.type + ", v" + asset.version + ")");
        option.value = "azureml:" + asset.name + "@latest";
        assets.appendChild(option);
      });
      assets.value = dataAssets.some(function (asset) { return "azureml:" + asset.name + "@latest" === path; }) ? path : "";
      assets.disabled = !editable;
      assets.setAttribute("data-asset", port.name);
      assets.addEventListener("change", function () { if (assets.value) { set(assets.value); } });
      var control = textControl(path, set);
      control.placeholder = "azureml:<data asset>@latest or a path";
      control.setAttribute("data-input", port.name);
      wrapper.appendChild(assets);
      wrapper.appendChild(control);
      return field(port.name, wrapper, port.type + ": connect an output, choose a data asset, or give a reference or path");
    }

    function showStep(panel, name) {
      var step = jobs()[name];
      panel.appendChild(element("h2", "Step"));
      var nameControl = textControl(name, function (value) { renameStep(name, value); });
      nameControl.id = "step-name";
      panel.appendChild(field("Name", nameControl));
      var ref = step.type === "sweep" ? step.trial : step.component;
      panel.appendChild(element("p", typeof ref === "string" ? ref : (ref ? "inline component" : "inline command"), "mono muted"));
      var news = element("div", null, "step-news");
      news.setAttribute("data-step", name);
      fillNews(news, name);
      panel.appendChild(news);
      var stepPorts = interfaceOf(step);
      if (stepPorts.inputs.length) { panel.appendChild(element("h3", "Inputs")); }
      stepPorts.inputs.forEach(function (port) {
        var value = (step.inputs || {})[port.name];
        var match = typeof value === "string" && BINDING.exec(value);
        if (match) {
          panel.appendChild(field(port.name, element("span", "← " + match[1] + "." + match[2], "mono"), port.type));
        } else if (pipelineIo.boundInput(value)) {
          panel.appendChild(pipelineIo.inputBinding(name, port, value));
        } else if (typeof value === "string" && value.indexOf("${{") === 0) {
          panel.appendChild(field(port.name, element("span", value, "mono"), port.type));
        } else {
          panel.appendChild(LITERAL[port.type] || port.type === "any" ? literalControl(name, port, value) : dataControl(name, port, value));
          var fromPipeline = pipelineIo.inputBinding(name, port, value);
          if (fromPipeline) { panel.appendChild(fromPipeline); }
        }
      });
      var compute = textControl(step.compute, function (value) {
        change(function () { if (value) { jobs()[name].compute = value; } else { delete jobs()[name].compute; } });
      });
      compute.placeholder = "the pipeline's default compute";
      compute.id = "step-compute";
      panel.appendChild(element("h3", "Run"));
      panel.appendChild(field("Compute", compute));
    }

    // The step's run: a link to its page and its metrics (evaluate_model's accuracy, AUC... or errors and r2).
    function runSummary(run) {
      var box = element("div", null, "step-run");
      var link = element("a", "Open the step's run", "step-run-link");
      link.href = base + "/runs/" + encodeURIComponent(run.id);
      box.appendChild(link);
      var keys = Object.keys(run.metrics).sort();
      if (keys.length) {
        var table = element("table", null, "step-metrics");
        keys.forEach(function (key) {
          var row = element("tr");
          row.appendChild(element("td", key));
          var cell = element("td", formatMetric(run.metrics[key]), "mono");
          cell.setAttribute("data-metric", key);
          row.appendChild(cell);
          table.appendChild(row);
        });
        box.appendChild(table);
      }
      return box;
    }

    function formatMetric(value) {
      return Math.abs(value) >= 1000 || value === Math.round(value) ? String(value) : value.toFixed(4);
    }

    function showPipeline(panel) {
      panel.appendChild(element("h2", "Pipeline"));
      var nameControl = textControl(draftName, function (value) {
        if (!value.trim()) { return; }
        draftName = value.trim();
        byId("draft-name").textContent = draftName;
        scheduleSave();
      });
      nameControl.id = "draft-name-input";
      panel.appendChild(field("Draft name", nameControl));
      function setting(label, id, get, set, placeholder) {
        var control = textControl(get(), function (value) { change(function () { set(value); }); });
        control.id = id;
        if (placeholder) { control.placeholder = placeholder; }
        panel.appendChild(field(label, control));
      }
      function settings() {
        if (!doc.pipeline.settings) { doc.pipeline.settings = {}; }
        return doc.pipeline.settings;
      }
      function put(object, key, value) { if (value) { object[key] = value; } else { delete object[key]; } }
      setting("Experiment", "pipeline-experiment", function () { return doc.pipeline.experiment_name; },
        function (value) { put(doc.pipeline, "experiment_name", value); }, "Default");
      setting("Display name", "pipeline-display-name", function () { return doc.pipeline.display_name; },
        function (value) { put(doc.pipeline, "display_name", value); });
      setting("Default compute", "pipeline-compute", function () { return (doc.pipeline.settings || {}).default_compute; },
        function (value) { put(settings(), "default_compute", value); }, "azureml:local");
      setting("Default datastore", "pipeline-datastore", function () { return (doc.pipeline.settings || {}).default_datastore; },
        function (value) { put(settings(), "default_datastore", value); }, "workspaceartifactstore");
      pipelineIo.show(panel);
      panel.appendChild(element("p", "Select a step to set its inputs. Drag components from the palette; click an output "
        + "port, then an input port, to connect them. Delete, Ctrl+Z / Ctrl+Y, Ctrl+C / Ctrl+V.", "muted"));
    }

    // What validation and the submitted job say about the step: its errors, status and run.
    function fillNews(news, name) {
      news.textContent = "";
      (errors[name] || []).forEach(function (message) { news.appendChild(element("p", message, "error step-error")); });
      if (statuses[name]) { news.appendChild(element("p", "Status: " + statuses[name], "step-status")); }
      if (runs[name]) { news.appendChild(runSummary(runs[name])); }
    }

    // After validation or a step's run: while the user is in one of the panel's fields, only the step's news are redrawn,
    // so that nothing typed is lost; otherwise the whole panel.
    function refreshPanel() {
      var panel = byId("designer-panel"), news = panel.querySelector(".step-news");
      var typing = panel.contains(document.activeElement) && document.activeElement !== panel;
      if (typing && news) {
        fillNews(news, news.getAttribute("data-step"));
      } else if (!typing) {
        showPanel();   // (the pipeline's panel, being typed in, shows no step's news: nothing to redraw)
      }
    }

    function showPanel() {
      var panel = byId("designer-panel");
      panel.textContent = "";
      var selected = cy.$("node.step:selected");
      if (selected.length === 1) { showStep(panel, selected.data("step")); } else { showPipeline(panel); }
    }

    // -- Saving, validating, submitting. --
    function scheduleSave() {
      if (!editable) { return; }
      byId("designer-save").textContent = "Unsaved changes";
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(save, SAVE_DELAY_MS);
    }

    function save() {
      if (saving) { saveAgain = true; return; }
      saving = true;
      var before = said;
      api("PUT", apiBase + "/designer/drafts/" + encodeURIComponent(draftId),
        {base_version: version, name: draftName, document: {pipeline: doc.pipeline, layout: doc.layout}}).then(function (draft) {
        version = draft.version;
        root.setAttribute("data-version", String(version));
        byId("designer-save").textContent = "Saved · version " + version;
        byId("designer-export").href = apiBase + "/designer/drafts/" + encodeURIComponent(draftId) + "/pipeline?version=" + version;
        validate(false, before);
      }, function (error) {
        byId("designer-save").textContent = "Not saved";
        say("Could not save: " + error.message, "error");
      }).then(function () {
        saving = false;
        if (saveAgain) { saveAgain = false; save(); }
      });
    }

    // The editor's own checks, on every step at once (the server stops at its first error): each required input of a
    // registered component left unset, in the pipeline API's words (PipelinePlan, "Missing required input").
    function missingInputs() {
      var found = [];
      Object.keys(jobs()).forEach(function (name) {
        var step = jobs()[name];
        if (step.type === "sweep" || !componentOf(step) || !componentOf(step).name) { return; }
        interfaceOf(step).inputs.forEach(function (port) {
          var spec = port.spec || {};
          if (!spec.optional && spec["default"] === undefined && (step.inputs || {})[port.name] === undefined) {
            found.push({step: name, message: "Missing required input 'jobs." + name + ".inputs." + port.name + "' (" + port.type
              + "): the component's input has no default and is not optional"});
          }
        });
      });
      return found;
    }

    // Asks the server to check the pipeline as a submission would, adds the editor's own checks, and marks every step
    // an error names. After an autosave begun when {saidBefore} messages were said, a message said since (a refused
    // connection...) stays on the line: the steps are still marked.
    function validate(announce, saidBefore) {
      return api("POST", apiBase + "/designer/validate", {document: {pipeline: doc.pipeline, layout: doc.layout}}).then(function () {
        return null;
      }, function (error) { return error.message; }).then(function (serverError) {
        var problems = missingInputs();
        if (serverError) {
          var match = /jobs\.([A-Za-z0-9_]+)/.exec(serverError);
          var known = problems.some(function (problem) { return problem.message === serverError; });
          if (!known) { problems.unshift({step: match && jobs()[match[1]] ? match[1] : null, message: serverError}); }
        }
        errors = {};
        problems.forEach(function (problem) {
          if (problem.step) { (errors[problem.step] = errors[problem.step] || []).push(problem.message); }
        });
        markErrors();
        if (saidBefore !== undefined && (said !== saidBefore || checkedOnRequest)) { return !problems.length; }
        if (announce) { checkedOnRequest = true; }
        if (!problems.length) {
          if (announce) { say("The pipeline is valid.", "ok"); }
          return true;
        }
        var first = serverError || problems[0].message;
        say((announce ? "Invalid: " : "Not valid yet: ") + first + (problems.length > 1 ? " (" + problems.length + " problems, marked on "
          + Object.keys(errors).length + " steps)" : ""), "error");
        return false;
      });
    }

    function markErrors() {
      cy.nodes("node.step").forEach(function (node) {
        var messages = errors[node.data("step")] || [];
        node.data("error", messages.join("\n"));
        node.data("errors", messages.length);
        if (messages.length) { node.addClass("invalid"); } else { node.removeClass("invalid"); }
      });
      refreshPanel();
    }

    function submit() {
      window.clearTimeout(saveTimer);
      validate(true).then(function (valid) {
        if (!valid) { return; }
        api("POST", apiBase + "/jobs", doc.pipeline).then(function (job) {
          var run = byId("designer-run");
          run.textContent = "Submitted as ";
          var link = element("a", job.name, "mono");
          link.id = "designer-job";
          link.href = base + "/jobs/" + encodeURIComponent(job.name);
          run.appendChild(link);
          var status = element("span", job.status, "status");
          status.id = "designer-job-status";
          run.appendChild(document.createTextNode(" "));
          run.appendChild(status);
          say("Submitted " + job.name + ".", "ok");
          poll(job.name);
        }, function (error) { say("Could not submit: " + error.message, "error"); });
      });
    }

    // Follows the submitted pipeline's steps as pipeline.js does on the job page, colouring the canvas.
    function poll(jobName) {
      api("GET", apiBase + "/jobs/" + encodeURIComponent(jobName)).then(function (job) {
        (job.steps || []).forEach(function (step) {
          statuses[step.name] = step.status;
          if (TERMINAL[step.status] && step.run_id && !runs[step.name]) { loadRun(step.name, step.run_id); }
        });
        cy.nodes("node.step").forEach(function (node) {
          var name = node.data("step"), colours = STATUS_COLOURS[statuses[name]] || ["#ffffff", "#6b7280"];
          node.data({label: stepLabel(name, jobs()[name] || {}), status: statuses[name] || "", background: colours[0], border: colours[1]});
        });
        byId("designer-job-status").textContent = job.status;
        byId("designer-job-status").className = "status " + job.status;
        if (!TERMINAL[job.status]) { window.setTimeout(function () { poll(jobName); }, POLL_MS); }
      }, function (error) {
        say("Could not read the pipeline's steps: " + error.message, "error");
        window.setTimeout(function () { poll(jobName); }, POLL_MS * 2);
      });
    }

    // Reads an ended step's run (its metrics) through the MLflow API, then redraws its box and the panel.
    function loadRun(stepName, runId) {
      runs[stepName] = {id: runId, metrics: {}};
      api("GET", base + "/api/2.0/mlflow/runs/get?run_id=" + encodeURIComponent(runId)).then(function (answer) {
        ((answer.run && answer.run.data && answer.run.data.metrics) || []).forEach(function (metric) {
          runs[stepName].metrics[metric.key] = metric.value;
        });
        var node = cy.getElementById("s:" + stepName);
        if (node.nonempty()) { node.data("label", stepLabel(stepName, jobs()[stepName] || {})); node.data("metrics", runs[stepName].metrics); }
        refreshPanel();
      }, function () { return null; });
    }

    // -- The palette. --
    function renderPalette() {
      var groups = byId("palette-groups"), query = byId("palette-search").value.trim().toLowerCase();
      groups.textContent = "";
      var byCategory = {};
      Object.keys(latest).forEach(function (name) {
        var component = components[latest[name]], tags = component.document.tags || {};
        var category = tags.category || (tags["atelier.builtin"] === "true" ? "Built-in" : "Registered");
        var text = (name + " " + (component.document.display_name || "") + " " + (component.document.description || "") + " "
          + category).toLowerCase();
        if (query && text.indexOf(query) < 0) { return; }
        (byCategory[category] = byCategory[category] || []).push(component);
      });
      Object.keys(byCategory).sort().forEach(function (category) {
        var group = element("details", null, "palette-group");
        group.open = true;
        group.appendChild(element("summary", category));
        byCategory[category].sort(function (a, b) { return a.name < b.name ? -1 : 1; }).forEach(function (component) {
          var item = element("div", component.document.display_name || component.name, "palette-item");
          var key = component.name + ":" + component.version;
          item.setAttribute("data-component", key);
          item.title = (component.document.description || component.name) + " (" + key + ")";
          item.tabIndex = 0;
          if (editable) {
            item.draggable = true;
            item.addEventListener("dragstart", function (event) {
              event.dataTransfer.setData("application/x-atelier-component", key);
              event.dataTransfer.setData("text/plain", key);
              event.dataTransfer.effectAllowed = "copy";
            });
            var addAtCentre = function () {
              var extent = cy.extent();
              addStep(key, {x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2});
            };
            item.addEventListener("dblclick", addAtCentre);
            item.addEventListener("keydown", function (event) { if (event.key === "Enter") { addAtCentre(); } });
          }
          group.appendChild(item);
        });
        groups.appendChild(group);
      });
      if (!groups.firstChild) { groups.appendChild(element("p", query ? "No component matches." : "No components yet.", "muted")); }
    }

    // Loads the components the document names that are not a latest version (pinned or older versions).
    function loadReferenced() {
      var wanted = [];
      Object.keys(jobs()).forEach(function (name) {
        var step = jobs()[name], ref = step.type === "sweep" ? step.trial : step.component;
        if (typeof ref !== "string") { return; }
        var parsed = componentReference(ref);
        if (parsed.version && !components[parsed.name + ":" + parsed.version]) { wanted.push(parsed); }
      });
      return Promise.all(wanted.map(function (parsed) {
        return api("GET", apiBase + "/components/" + encodeURIComponent(parsed.name) + "/versions/" + encodeURIComponent(parsed.version))
          .then(function (component) { components[component.name + ":" + component.version] = component; }, function () { return null; });
      }));
    }

    // -- Events. --
    // A press on a port is the designer's, not cytoscape's (it would grab the step): caught before cytoscape sees it.
    // Click an output then an input, or drag from an output and release on an input.
    function pressPort(port) {
      if (port.side === "out") {
        pendingPort = port.id;
        ports.pending(port.id);
        say("Now click an input port to connect " + port.step + "." + port.port + " (" + port.type + ").");
      } else if (pendingPort) {
        var from = pendingPort;
        pendingPort = null;
        ports.pending(null);
        connect(from, port.id);
      } else {
        say("Click an output port first, then this input.");
      }
    }
    container.addEventListener("mousedown", function (event) {
      var port = editable && event.button === 0 ? ports.hit(event.clientX, event.clientY) : null;
      if (!port) { return; }
      event.stopPropagation();
      event.preventDefault();
      pressPort(port);
      var release = function (up) {
        window.removeEventListener("mouseup", release, true);
        var over = ports.hit(up.clientX, up.clientY);
        if (port.side === "out" && over && over.side === "in" && pendingPort === port.id) { pressPort(over); }
      };
      window.addEventListener("mouseup", release, true);
    }, true);
    cy.on("tap", function (event) {
      if (event.target === cy) { pendingPort = null; ports.pending(null); }
    });
    cy.on("select unselect", "node.step", function () { window.setTimeout(showPanel, 0); });
    var dragBefore = null;
    cy.on("grab", "node.step", function () { dragBefore = snapshot(); });
    cy.on("free", "node.step", function () {
      var moved = false;
      cy.nodes("node.step").forEach(function (node) {
        var name = node.data("step"), position = node.position(), known = doc.layout[name];
        if (!known || Math.round(position.x) !== known.x || Math.round(position.y) !== known.y) {
          doc.layout[name] = {x: Math.round(position.x), y: Math.round(position.y)};
          moved = true;
        }
      });
      if (moved && dragBefore) {
        undoStack.push(dragBefore);
        redoStack = [];
        scheduleSave();
      }
      dragBefore = null;
    });

    container.addEventListener("dragover", function (event) {
      if (editable) { event.preventDefault(); event.dataTransfer.dropEffect = "copy"; }
    });
    container.addEventListener("drop", function (event) {
      if (!editable) { return; }
      event.preventDefault();
      var key = event.dataTransfer.getData("application/x-atelier-component") || event.dataTransfer.getData("text/plain");
      var rect = container.getBoundingClientRect(), pan = cy.pan(), zoom = cy.zoom();
      addStep(key, {x: (event.clientX - rect.left - pan.x) / zoom, y: (event.clientY - rect.top - pan.y) / zoom});
    });

    document.addEventListener("keydown", function (event) {
      var target = event.target, tag = target && target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
      var key = event.key.toLowerCase(), control = event.ctrlKey || event.metaKey;
      if (key === "delete" || key === "backspace") { removeSelected(); event.preventDefault(); }
      else if (control && key === "z" && !event.shiftKey) { undo(); event.preventDefault(); }
      else if (control && (key === "y" || (key === "z" && event.shiftKey))) { redo(); event.preventDefault(); }
      else if (control && key === "c") { copySelected(); }
      else if (control && key === "v") {
        // The paste event that follows brings the system clipboard; without one (no clipboard access), the page's copy.
        window.clearTimeout(pasteFallback);
        pasteFallback = window.setTimeout(function () { paste(); }, 150);
      }
    });

    // Ctrl+C / Ctrl+V through the system clipboard: the selected steps as JSON, and that JSON pasted from anywhere.
    function outsideFields(target) {
      var tag = target && target.tagName;
      return !(tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable));
    }
    var pasteFallback = null;
    document.addEventListener("copy", function (event) {
      var selection = window.getSelection && window.getSelection();
      if (!outsideFields(event.target) || (selection && !selection.isCollapsed)) { return; }   // text selected: the browser copies it
      var text = copySelected();
      if (text && event.clipboardData) {
        event.clipboardData.setData("text/plain", text);
        event.clipboardData.setData("application/json", text);
        event.preventDefault();
      }
    });
    document.addEventListener("paste", function (event) {
      if (!outsideFields(event.target) || !editable) { return; }
      window.clearTimeout(pasteFallback);
      var data = event.clipboardData;
      var items = data ? stepsFromText(data.getData("application/json") || data.getData("text/plain")) : null;
      event.preventDefault();
      paste(items);
    });

    root.addEventListener("click", function (event) {
      var action = event.target.closest && event.target.closest("[data-designer]");
      if (!action) { return; }
      switch (action.getAttribute("data-designer")) {
        case "fit": fitSteps(); break;
        case "zoom-in": cy.zoom({level: cy.zoom() * 1.25, renderedPosition: {x: container.clientWidth / 2, y: container.clientHeight / 2}}); break;
        case "zoom-out": cy.zoom({level: cy.zoom() / 1.25, renderedPosition: {x: container.clientWidth / 2, y: container.clientHeight / 2}}); break;
        case "layout":
          if (change(function () { autoLayout(false); })) { fitSteps(); }
          break;
        case "validate": validate(true); break;
        case "submit": submit(); break;
        default: break;
      }
    });
    byId("palette-search").addEventListener("input", renderPalette);

    // -- Opening. --
    Promise.all([
      api("GET", apiBase + "/designer/drafts/" + encodeURIComponent(draftId) + "?version=" + version),
      api("GET", apiBase + "/components"),
      api("GET", apiBase + "/data").then(function (answer) { return answer.data || []; }, function () { return []; })
    ]).then(function (answers) {
      dataAssets = answers[2];
      var draft = answers[0];
      doc = draft.document;
      if (!doc.layout) { doc.layout = {}; }
      draftName = draft.name;
      (answers[1].components || []).forEach(function (component) {
        components[component.name + ":" + component.version] = component;
        latest[component.name] = component.name + ":" + component.version;
      });
      return loadReferenced();
    }).then(function () {
      window.atelierDesigner.readMs = performance.now() - started;
      performance.mark("designer:read");   // the open's parts, for the browser's performance timeline (DesignerOpenBench)
      var unplaced = Object.keys(jobs()).some(function (name) { return !doc.layout[name]; });
      renderPalette();
      if (unplaced) { autoLayout(true); }
      fitSteps();   // before drawing: a graph drawn at its final zoom is painted once, its labels only when readable
      render();
      window.atelierDesigner.drawMs = performance.now() - started - window.atelierDesigner.readMs;
      performance.mark("designer:built");
      // Ready once cytoscape has painted the graph (its frame follows the next animation frame).
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () {
          window.atelierDesigner.openedMs = performance.now() - started;
          window.atelierDesigner.drawnAt = performance.now();
          performance.mark("designer:painted");
          window.atelierDesigner.ready = true;
        });
      });
      if (!editable) {
        say(root.getAttribute("data-latest") !== String(version) ? "An older version, read-only." : "Read-only.");
        validate(false);
      } else if (unplaced) {
        scheduleSave();   // an imported pipeline: its layout is saved
      } else if (Object.keys(jobs()).length) {
        validate(false);
      }
    }).catch(function (error) { say("Could not open the draft: " + error.message, "error"); });

    window.atelierDesigner = {
      cy: cy, ready: false,
      document: function () { return doc; },
      version: function () { return version; },
      portPosition: function (id) {
        if (id.indexOf("p:") === 0) { return ports.renderedPosition(id); }
        var node = cy.getElementById(id);
        return node.nonempty() ? node.renderedPosition() : null;
      },
      ports: ports,
      connect: connect, undo: undo, redo: redo
    };
  }

  function start() {
    var editor = byId("designer");
    if (editor) { startEditor(editor); }
    var list = byId("designer-drafts");
    if (list) { startList(list); }
    var openAsDraft = byId("open-as-draft");
    if (openAsDraft) { startOpenAsDraft(openAsDraft); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
