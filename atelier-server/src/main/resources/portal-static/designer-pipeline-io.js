// The designer's editor of the pipeline's own inputs and outputs (docs/designer.md, "Pipeline inputs and outputs"), shown
// in the side panel when no step is selected, and the list on a step's input that binds it to one of them. It writes the
// forms docs/pipelines.md reads: an input is a literal (`rows: 1000`), a literal with its type (`{type: number,
// default: 2}`: when the plain value would read back as another type, or when it came so) or data (`{type: uri_folder, path: azureml:raw@latest}`); an output
// is `{type, name?, version?, path?}`, bound by one step output (`${{parent.outputs.<o>}}`). Fields it does not show
// (description, mode...) are kept. Every edit goes through the editor's change() (undo, redraw, save). Single-threaded.
(function () {
  "use strict";

  var INPUT_TYPES = ["string", "integer", "number", "boolean", "uri_file", "uri_folder"];
  var OUTPUT_TYPES = ["uri_folder", "uri_file"];
  var LITERAL = {string: true, integer: true, number: true, boolean: true};
  var NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

  function parentBinding(kind, name) { return "${{parent." + kind + "." + name + "}}"; }

  function boundName(kind, value) {
    var match = typeof value === "string" && new RegExp("^\\$\\{\\{\\s*parent\\." + kind + "\\.([A-Za-z0-9_]+)\\s*\\}\\}$").exec(value);
    return match ? match[1] : null;
  }

  // The input's type as the document says it: {type} of a mapping, else the JSON type of a literal.
  function inputType(value) {
    if (value && typeof value === "object") { return value.type || "uri_folder"; }
    if (typeof value === "number") { return Number.isInteger(value) ? "integer" : "number"; }
    return typeof value === "boolean" ? "boolean" : "string";
  }

  function inputText(value) {
    if (value && typeof value === "object") { return LITERAL[inputType(value)] ? value["default"] : value.path; }
    return value;
  }

  // A literal's text as its type's value, or undefined when it is not one.
  function literal(type, text) {
    if (type === "string") { return String(text === undefined || text === null ? "" : text); }
    if (type === "boolean") { return text === true || text === "true" ? true : text === false || text === "false" ? false : undefined; }
    var number = Number(text);
    if (text === "" || text === null || text === undefined || isNaN(number)) { return undefined; }
    return type === "integer" && !Number.isInteger(number) ? undefined : number;
  }

  // editor: {editable, change, say, jobs, pipeline, interfaceOf, field, textControl, selectControl, element, dataAssets}.
  window.AtelierDesignerPipelineIo = function (editor) {
    var element = editor.element;

    function inputs() { var p = editor.pipeline(); if (!p.inputs) { p.inputs = {}; } return p.inputs; }
    function outputs() { var p = editor.pipeline(); if (!p.outputs) { p.outputs = {}; } return p.outputs; }

    // Where the steps use a pipeline input (their inputs) or output (their outputs): [{step, port}].
    function uses(kind, name) {
      var found = [], side = kind === "inputs" ? "inputs" : "outputs";
      Object.keys(editor.jobs()).forEach(function (step) {
        var ports = editor.jobs()[step][side] || {};
        Object.keys(ports).forEach(function (port) {
          if (boundName(kind, ports[port]) === name) { found.push({step: step, port: port}); }
        });
      });
      return found;
    }

    // Renames an entry of a map, keeping its place, and the steps' bindings to it; false (with a message) when refused.
    function rename(kind, map, oldName, wanted) {
      var name = String(wanted).trim();
      if (name === oldName) { return; }
      if (!NAME.test(name)) { editor.say("A pipeline " + kind.slice(0, -1) + " name is a letter or _, then letters, digits and _.", "error"); return; }
      if (map()[name] !== undefined) { editor.say("The pipeline has an " + kind.slice(0, -1) + " named " + name + ".", "error"); return; }
      editor.change(function () {
        var renamed = {};
        Object.keys(map()).forEach(function (key) { renamed[key === oldName ? name : key] = map()[key]; });
        editor.pipeline()[kind] = renamed;
        uses(kind, oldName).forEach(function (use) {
          editor.jobs()[use.step][kind === "inputs" ? "inputs" : "outputs"][use.port] = parentBinding(kind, name);
        });
      });
    }

    function remove(kind, map, name) {
      editor.change(function () {
        uses(kind, name).forEach(function (use) { delete editor.jobs()[use.step][kind === "inputs" ? "inputs" : "outputs"][use.port]; });
        delete map()[name];
      });
    }

    function uniqueName(map, stem) {
      var i = 1;
      while (map()[stem + i] !== undefined) { i += 1; }
      return stem + i;
    }

    // Sets an input's type or value, in the form it has (a literal stays a literal, a mapping keeps its other fields);
    // false, with a message, when the value is not of the type.
    function setInput(name, type, text) {
      var current = inputs()[name], mapping = current && typeof current === "object" ? current : null;
      if (LITERAL[type]) {
        var value = literal(type, text);
        if (value === undefined) {
          editor.say("The pipeline's input " + name + " takes " + (type === "boolean" ? "true or false" : type === "integer"
            ? "an integer" : "a number") + ".", "error");
          return false;
        }
        editor.change(function () {
          if (mapping && LITERAL[inputType(mapping)]) {
            mapping.type = type;
            mapping["default"] = value;
          } else if (inputType(value) === type) {
            inputs()[name] = value;                              // a plain literal that reads back as its type
          } else {
            inputs()[name] = {type: type, "default": value};     // 2 as a number, not an integer
          }
        });
      } else {
        editor.change(function () {
          var data = mapping && !LITERAL[inputType(mapping)] ? mapping : {};
          data.type = type;
          data.path = text === undefined || text === null ? "" : String(text);
          inputs()[name] = data;
        });
      }
    }

    function row(kind, name) {
      var box = element("fieldset", null, "pipeline-io");
      box.setAttribute(kind === "inputs" ? "data-pipeline-input" : "data-pipeline-output", name);
      return box;
    }

    function control(node, fieldName) { node.setAttribute("data-field", fieldName); return node; }

    // A list whose empty choice means "none" (the editor's lists say "(default)" there).
    function noneFirst(select) { if (select.options.length && select.options[0].value === "") { select.options[0].textContent = "(none)"; } return select; }

    function removeButton(kind, map, name) {
      var button = control(element("button", "Remove", "button small"), "remove");
      button.type = "button";
      button.disabled = !editor.editable;
      button.addEventListener("click", function () { remove(kind, map, name); });
      return button;
    }

    function usedBy(kind, name) {
      var list = uses(kind, name).map(function (use) { return use.step + "." + use.port; });
      return list.length ? (kind === "inputs" ? "read by " : "bound by ") + list.join(", ") : (kind === "inputs" ? "no step reads it" : "no step output is bound to it");
    }

    function inputRow(name) {
      var value = inputs()[name], type = inputType(value), box = row("inputs", name);
      box.appendChild(editor.field("Name", control(editor.textControl(name, function (text) { rename("inputs", inputs, name, text); }), "name")));
      box.appendChild(editor.field("Type", control(editor.selectControl(INPUT_TYPES, type, function (chosen) {
        var text = LITERAL[chosen] === LITERAL[type] ? inputText(value) : "";
        if (LITERAL[chosen] && literal(chosen, text) === undefined) { text = {string: "", boolean: "false"}[chosen] || "0"; }
        setInput(name, chosen, text);
      }), "type")));
      var valueControl;
      // A refused value stays in its field, marked, until it is corrected (the document keeps the last good one).
      var set = function (text) {
        var refused = setInput(name, type, text) === false;
        valueControl.setAttribute("aria-invalid", String(refused));
      };
      if (type === "boolean") {
        valueControl = editor.selectControl(["true", "false"], String(inputText(value)), set);
      } else {
        valueControl = editor.textControl(inputText(value), set);
        if (!LITERAL[type]) {
          valueControl.placeholder = "azureml:<data asset>@latest or a path";
          valueControl.setAttribute("list", "pipeline-data-assets");
        }
      }
      box.appendChild(editor.field(LITERAL[type] ? "Value" : "Data", control(valueControl, "value"), usedBy("inputs", name)));
      box.appendChild(removeButton("inputs", inputs, name));
      return box;
    }

    // The step outputs a pipeline output can be bound to: "step.output" of every step's declared outputs.
    function stepOutputs() {
      var found = [];
      Object.keys(editor.jobs()).forEach(function (step) {
        editor.interfaceOf(editor.jobs()[step]).outputs.forEach(function (port) { found.push(step + "." + port.name); });
      });
      return found;
    }

    function bindOutput(name, chosen) {
      editor.change(function () {
        uses("outputs", name).forEach(function (use) { delete editor.jobs()[use.step].outputs[use.port]; });
        if (!chosen) { return; }
        var dot = chosen.indexOf("."), step = editor.jobs()[chosen.substring(0, dot)];
        if (!step.outputs) { step.outputs = {}; }
        step.outputs[chosen.substring(dot + 1)] = parentBinding("outputs", name);
      });
    }

    function outputRow(name) {
      var value = outputs()[name];
      if (!value || typeof value !== "object") { value = {}; }
      var box = row("outputs", name);
      function set(key, text) {
        editor.change(function () {
          var output = outputs()[name] && typeof outputs()[name] === "object" ? outputs()[name] : (outputs()[name] = {});
          if (text) { output[key] = text; } else { delete output[key]; }
        });
      }
      box.appendChild(editor.field("Name", control(editor.textControl(name, function (text) { rename("outputs", outputs, name, text); }), "name")));
      box.appendChild(editor.field("Type", control(editor.selectControl(OUTPUT_TYPES, value.type || "uri_folder", function (chosen) { set("type", chosen); }), "type")));
      var bound = uses("outputs", name).map(function (use) { return use.step + "." + use.port; })[0] || "";
      box.appendChild(editor.field("From", control(noneFirst(editor.selectControl([""].concat(stepOutputs()), bound, function (chosen) { bindOutput(name, chosen); })), "from"),
        usedBy("outputs", name)));
      var asset = control(editor.textControl(value.name, function (text) { set("name", text.trim()); }), "asset");
      asset.placeholder = "not registered";
      box.appendChild(editor.field("Register as data asset", asset));
      var version = control(editor.textControl(value.version, function (text) { set("version", text.trim()); }), "version");
      version.placeholder = "the next version";
      box.appendChild(editor.field("Version", version));
      var path = control(editor.textControl(value.path, function (text) { set("path", text.trim()); }), "path");
      path.placeholder = "datastore://<datastore>/<path> (optional)";
      box.appendChild(editor.field("Copy to", path));
      box.appendChild(removeButton("outputs", outputs, name));
      return box;
    }

    function addButton(id, text, onClick) {
      var button = element("button", text, "button small");
      button.type = "button";
      button.id = id;
      button.disabled = !editor.editable;
      button.addEventListener("click", onClick);
      return button;
    }

    // The panel's section: the pipeline's inputs and outputs, each editable, with Add buttons.
    function show(panel) {
      var assets = element("datalist");
      assets.id = "pipeline-data-assets";
      editor.dataAssets().forEach(function (asset) {
        var option = element("option");
        option.value = "azureml:" + asset.name + "@latest";
        assets.appendChild(option);
      });
      panel.appendChild(assets);
      panel.appendChild(element("h3", "Pipeline inputs"));
      Object.keys(editor.pipeline().inputs || {}).forEach(function (name) { panel.appendChild(inputRow(name)); });
      panel.appendChild(addButton("pipeline-add-input", "Add input", function () {
        var name = uniqueName(inputs, "input");
        editor.change(function () { inputs()[name] = ""; });
        editor.say("Added the pipeline input " + name + ".");
      }));
      panel.appendChild(element("h3", "Pipeline outputs"));
      Object.keys(editor.pipeline().outputs || {}).forEach(function (name) { panel.appendChild(outputRow(name)); });
      panel.appendChild(addButton("pipeline-add-output", "Add output", function () {
        var name = uniqueName(outputs, "output");
        editor.change(function () { outputs()[name] = {type: "uri_folder"}; });
        editor.say("Added the pipeline output " + name + ".");
      }));
    }

    // On a step's input not connected to a step: a list of the pipeline's inputs to read it from (or none).
    function inputBinding(stepName, port, value) {
      var names = Object.keys(editor.pipeline().inputs || {});
      var bound = boundName("inputs", value);
      if (!names.length && !bound) { return null; }
      var select = control(noneFirst(editor.selectControl([""].concat(names), bound || "", function (chosen) {
        editor.change(function () {
          var step = editor.jobs()[stepName];
          if (!step.inputs) { step.inputs = {}; }
          if (chosen) { step.inputs[port.name] = parentBinding("inputs", chosen); } else { delete step.inputs[port.name]; }
        });
      })), "pipeline-input");
      select.setAttribute("data-bind-input", port.name);
      return editor.field(port.name + " from the pipeline's input", select, bound ? "bound to the pipeline's input " + bound : "(none: the value above)");
    }

    return {show: show, inputBinding: inputBinding, boundInput: function (value) { return boundName("inputs", value); }};
  };
})();
