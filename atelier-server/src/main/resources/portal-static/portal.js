// The portal's browser code: htmx settings, sign-in and sign-out, workspace switching, the theme and
// keyboard shortcuts. Metric charts are charts.js's.
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

  // ---- theme: the choice of the toggle (localStorage "atelier.theme"), else the system's. Set before the page
  // is drawn (this script is loaded in <head>), so that a dark page never flashes light.
  var THEME_KEY = "atelier.theme";
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function storedTheme() {
    try { return window.localStorage.getItem(THEME_KEY); } catch (e) { return null; }
  }

  function applyTheme() {
    var chosen = storedTheme();
    var theme = chosen === "dark" || chosen === "light" ? chosen : (systemDark && systemDark.matches ? "dark" : "light");
    document.documentElement.setAttribute("data-theme", theme);
  }

  applyTheme();
  if (systemDark && systemDark.addEventListener) {
    systemDark.addEventListener("change", function () { applyTheme(); redrawCharts(); });
  }

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

  // Charts (charts.js, loaded by the pages that draw them) redraw in the new theme's colours.
  function redrawCharts() {
    document.dispatchEvent(new Event("atelier:theme"));
  }

  atelier.toggleTheme = function () {
    var next = document.documentElement.getAttribute("data-theme") === "dark" ? "light" : "dark";
    try { window.localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode: this page only */ }
    document.documentElement.setAttribute("data-theme", next);
    redrawCharts();
  };

  // The header's box ticks or clears every run of the page.
  atelier.selectAll = function (box) {
    var form = box.form;
    form.querySelectorAll("input[name=runs]").forEach(function (run) { run.checked = box.checked; });
    atelier.selectionChanged(form);
  };

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

  // A form that calls one of the server's JSON APIs (the MLflow registry's routes, with their own permission checks):
  // data-api is the path, data-method the method (POST by default). Its named fields are sent as one JSON object,
  // strings except data-type="boolean" fields (a checkbox: whether it is ticked), with the session's CSRF header.
  // data-confirm asks first. Then the page reloads (or goes to data-then); a refusal shows its message in #flash.
  atelier.apiForm = function (form) {
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) { return; }
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) { return; }
      body[field.name] = field.getAttribute("data-type") === "boolean"
        ? (field.type === "checkbox" ? field.checked : field.value === "true") : field.value;
    });
    var headers = csrfHeaders();
    headers["Content-Type"] = "application/json";
    fetch(form.getAttribute("data-api"), {method: form.getAttribute("data-method") || "POST", headers: headers,
      credentials: "same-origin", body: JSON.stringify(body)})
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) {
            var message = null;
            try { message = JSON.parse(text).message; } catch (e) { /* not JSON */ }
            throw new Error(message || ("HTTP " + response.status));
          }
          var then = form.getAttribute("data-then");
          if (then) { window.location.href = then; } else { window.location.reload(); }
        });
      })
      .catch(function (e) { showError(e.message); });
  };

  // Registering the MLflow model of a run's folder: the registered model is created unless it exists, then a version
  // from runs:/<run>/<folder>; the browser then opens the new version's page.
  atelier.registerModel = function (form) {
    var api = form.getAttribute("data-api"), name = form.querySelector("[name=name]").value.trim();
    var headers = csrfHeaders();
    headers["Content-Type"] = "application/json";
    function post(path, body) {
      return fetch(api + path, {method: "POST", headers: headers, credentials: "same-origin", body: JSON.stringify(body)})
        .then(function (response) { return response.json().then(function (json) { return {ok: response.ok, json: json}; }); });
    }
    post("/registered-models/create", {name: name})
      .then(function (created) {
        if (!created.ok && created.json.error_code !== "RESOURCE_ALREADY_EXISTS") { throw new Error(created.json.message); }
        return post("/model-versions/create", {name: name, source: form.getAttribute("data-source"), run_id: form.getAttribute("data-run")});
      })
      .then(function (version) {
        if (!version.ok) { throw new Error(version.json.message); }
        window.location.href = form.getAttribute("data-models") + encodeURIComponent(name) + "/versions/"
          + encodeURIComponent(version.json.model_version.version);
      })
      .catch(function (e) { showError(e.message || "Registration failed"); });
  };

  function showError(message) {
    var flash = document.getElementById("flash"), box = document.createElement("div");
    box.className = "flash error";
    box.textContent = message;
    flash.replaceChildren(box);
  }

  // A run page's "Model versions from this run": read from the registry's search, drawn with DOM nodes (no markup
  // from the answer).
  function loadRunModels(section) {
    var status = section.querySelector("#run-models-status"), table = section.querySelector("table");
    fetch(section.getAttribute("data-model-versions"), {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var versions = body.model_versions || [];
        if (versions.length === 0) { status.textContent = "No model version was registered from this run."; return; }
        var tbody = table.querySelector("tbody"), models = section.getAttribute("data-models");
        versions.forEach(function (v) {
          var row = document.createElement("tr"), link = document.createElement("a");
          row.setAttribute("data-version", v.name + "/" + v.version);
          link.href = models + encodeURIComponent(v.name) + "/versions/" + encodeURIComponent(v.version);
          link.textContent = v.name + " v" + v.version;
          [link, v.current_stage || "None", (v.aliases || []).map(function (a) { return "@" + a; }).join(" "), v.status || ""]
            .forEach(function (value) {
              var cell = document.createElement("td");
              if (typeof value === "string") { cell.textContent = value; } else { cell.appendChild(value); }
              row.appendChild(cell);
            });
          tbody.appendChild(row);
        });
        status.hidden = true;
        table.hidden = false;
      })
      .catch(function () { status.textContent = "The registry could not be read."; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-model-versions]").forEach(loadRunModels);
  });

  // ---- keyboard shortcuts: "/" search, j/k next and previous row of the page's table, Enter or o open it,
  // x tick it, c compare the ticked runs, t dark or light. Not while typing in a field.
  function rows() {
    var table = document.querySelector("main table#runs-table") || document.querySelector("main table");
    return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")).filter(function (row) {
      return row.querySelector("td") && row.offsetParent !== null;
    }) : [];
  }

  function moveRow(step) {
    var all = rows();
    if (all.length === 0) { return; }
    var current = all.findIndex(function (row) { return row.classList.contains("kb-current"); });
    var next = current < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, current + step));
    if (current >= 0) { all[current].classList.remove("kb-current"); }
    all[next].classList.add("kb-current");
    all[next].scrollIntoView({block: "nearest"});
  }

  function currentRow() { return document.querySelector("tr.kb-current"); }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var row = currentRow();
    switch (event.key) {
      case "/":
        var search = document.getElementById("top-search");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
        break;
      case "j": moveRow(1); break;
      case "k": moveRow(-1); break;
      case "o":
      case "Enter":
        if (event.key === "Enter" && target !== document.body) { break; }
        var link = row && row.querySelector("a[href]");
        if (link) { event.preventDefault(); link.click(); }
        break;
      case "x":
        var box = row && row.querySelector("input[type=checkbox]");
        if (box) { box.click(); }
        break;
      case "c":
        var compare = document.getElementById("compare-button");
        if (compare && !compare.disabled) { compare.click(); }
        break;
      case "t": atelier.toggleTheme(); break;
    }
  });

  // ---- actions named by data-* attributes

  atelier.actions = {
    "switch-workspace": function (element) { atelier.switchWorkspace(element.form || element); },
    "logout": function () { atelier.logout(); },
    "login": function (form) { atelier.login(form); },
    "submit-form": function (element) { element.form.submit(); },
    "selection-changed": function (form) { atelier.selectionChanged(form); },
    "select-all": function (box) { atelier.selectAll(box); },
    "back": function () { window.history.back(); },
    "toggle-nav": function () { atelier.toggleNav(); },
    "toggle-theme": function () { atelier.toggleTheme(); },
    "api": function (form) { atelier.apiForm(form); },
    "register-model": function (form) { atelier.registerModel(form); }
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

// ---- Edit/⋯ menus (<details class="menu">) and a model version's deploy form.
(function () {
  "use strict";
  var atelier = window.atelier;

  // Escape closes the open menus and gives the focus back to the summary; a click elsewhere closes a floating menu.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu:not(.inline)[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });

  function csrfHeaders() {
    var raw = document.body && document.body.getAttribute("hx-headers"), headers = {};
    try { headers = raw ? JSON.parse(raw) : {}; } catch (e) { headers = {}; }
    headers["Content-Type"] = "application/json";
    return headers;
  }

  function post(url, body) {
    return fetch(url, {method: "POST", headers: csrfHeaders(), credentials: "same-origin", body: JSON.stringify(body)})
      .then(function (response) {
        return response.text().then(function (text) {
          var json = {};
          try { json = text ? JSON.parse(text) : {}; } catch (e) { json = {}; }
          return {ok: response.ok, status: response.status, json: json};
        });
      });
  }

  // Deploys the version through the native API: the endpoint is created unless it exists (409 RESOURCE_ALREADY_EXISTS
  // counts as there), then the deployment of models:/<name>/<version>; then the page links to the endpoint.
  atelier.deployVersion = function (form) {
    var kind = form.querySelector("[name=kind]:checked").value;
    var endpoint = form.querySelector("[name=endpoint]").value.trim();
    var deployment = form.querySelector("[name=deployment]").value.trim();
    var instances = Number(form.querySelector("[name=instance_count]").value || "1");
    var api = form.getAttribute(kind === "batch" ? "data-batch-api" : "data-online-api");
    var page = form.getAttribute(kind === "batch" ? "data-batch-pages" : "data-online-pages");
    var result = document.getElementById("deploy-result"), button = form.querySelector("button[type=submit]");
    var model = form.getAttribute("data-model");
    var spec = kind === "batch"
      ? {name: deployment, endpoint_name: endpoint, model: model, resources: {instance_count: instances}}
      : {name: deployment, endpoint_name: endpoint, model: model, instance_count: instances};
    button.disabled = true;
    result.textContent = "Creating " + endpoint + "…";
    post(api, {name: endpoint})
      .then(function (created) {
        if (!created.ok && created.json.error_code !== "RESOURCE_ALREADY_EXISTS") {
          throw new Error(created.json.message || ("HTTP " + created.status));
        }
        return post(api + "/" + encodeURIComponent(endpoint) + "/deployments", spec);
      })
      .then(function (created) {
        if (!created.ok) { throw new Error(created.json.message || ("HTTP " + created.status)); }
        var link = document.createElement("a");
        link.id = "deployed-link";
        link.href = page + encodeURIComponent(endpoint);
        link.textContent = endpoint;
        result.replaceChildren(document.createTextNode("Deployment " + deployment + " created on "), link,
          document.createTextNode(kind === "batch" ? " (batch endpoint)." : " (online endpoint): it is starting."));
      })
      .catch(function (e) { result.textContent = ""; showError(e.message || "Deployment failed"); })
      .then(function () { button.disabled = false; });
  };

  // The endpoint's name follows the kind: <model> online, <model>-batch in batch, until the user types one.
  atelier.deployKind = function (radio) {
    var form = radio.form, name = form.querySelector("[name=endpoint]");
    if (!name.hasAttribute("data-typed")) {
      name.value = name.getAttribute(radio.value === "batch" ? "data-batch-name" : "data-online-name");
    }
    form.querySelector("[name=deployment]").value = radio.value === "batch" ? "default" : "blue";
  };

  function showError(message) {
    var flash = document.getElementById("flash"), box = document.createElement("div");
    box.className = "flash error";
    box.textContent = message;
    flash.replaceChildren(box);
  }

  atelier.actions["deploy-version"] = function (form) { atelier.deployVersion(form); };
  atelier.actions["deploy-kind"] = function (radio) { atelier.deployKind(radio); };
  atelier.actions["typed"] = function (field) { field.setAttribute("data-typed", "true"); };
})();
