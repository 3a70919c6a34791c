// The designer's ports (docs/designer.md): drawn as decorations of their step on a canvas laid over cytoscape's, and
// hit-tested by position, instead of being ~5 cytoscape nodes per step (what made a 200-step draft slow to open: every
// node is styled, measured and indexed). A port's place follows its step's node, so a step dragged or a view panned
// moves its ports in the same frame (redrawn on cytoscape's "render" event). designer.js owns what a click on a port
// does; this file only knows where ports are. Single-threaded (the page's script).
(function () {
  "use strict";

  var RADIUS = 6;

  // ports(cy, container, options): options.labelZoom (labels below it are not drawn), options.nodeTop, options.portGap.
  window.AtelierDesignerPorts = function (cy, container, options) {
    var canvas = document.createElement("canvas");
    canvas.className = "designer-ports";
    canvas.setAttribute("aria-hidden", "true");
    canvas.style.cssText = "position:absolute;left:0;top:0;pointer-events:none;z-index:5";
    container.appendChild(canvas);
    var context = canvas.getContext("2d");
    var steps = [];            // [{name, node, width, height, ports: [port]}]
    var byId = {};             // "p:<side>:<step>:<port>" -> port
    var pending = null, queued = false;

    // A port's offset from its step's centre (model units), for the edges' endpoints and for drawing.
    function offset(size, side, index) {
      return {x: side === "in" ? -size.width / 2 : size.width / 2,
        y: -size.height / 2 + options.nodeTop + options.portGap * index - 4};
    }

    // Takes the steps as drawn: [{name, width, height, inputs: [{name, type, label, colour}], outputs: [...]}].
    function set(drawn) {
      steps = [];
      byId = {};
      drawn.forEach(function (step) {
        var entry = {name: step.name, node: null, width: step.width, height: step.height, ports: []};
        [["in", step.inputs], ["out", step.outputs]].forEach(function (pair) {
          pair[1].forEach(function (port, index) {
            var id = "p:" + pair[0] + ":" + step.name + ":" + port.name;
            var item = {id: id, step: step.name, port: port.name, type: port.type, side: pair[0], label: port.label,
              colour: port.colour, offset: offset(step, pair[0], index)};
            entry.ports.push(item);
            byId[id] = item;
          });
        });
        steps.push(entry);
      });
      if (pending && !byId[pending]) { pending = null; }
      scheduleDraw();
    }

    // The step's cytoscape node (looked up again after a render replaced it), or null when it is not drawn.
    function nodeOf(entry) {
      if (!entry.node || entry.node.removed()) { entry.node = cy.getElementById("s:" + entry.name); }
      return entry.node.nonempty() ? entry.node : null;
    }

    function modelPosition(port) {
      var entry = stepEntry(port.step), node = entry && nodeOf(entry);
      var centre = node ? node.position() : {x: 0, y: 0};
      return {x: centre.x + port.offset.x, y: centre.y + port.offset.y};
    }

    function stepEntry(name) {
      for (var i = 0; i < steps.length; i++) { if (steps[i].name === name) { return steps[i]; } }
      return null;
    }

    function draw() {
      var width = container.clientWidth, height = container.clientHeight;
      if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, width, height);
      var zoom = cy.zoom(), pan = cy.pan(), labels = zoom >= options.labelZoom;
      context.setTransform(zoom, 0, 0, zoom, pan.x, pan.y);
      context.font = "10px sans-serif";
      context.textBaseline = "middle";
      var x1 = -pan.x / zoom - 200, y1 = -pan.y / zoom - 200, x2 = (width - pan.x) / zoom + 200, y2 = (height - pan.y) / zoom + 200;
      // One path per colour, filled and stroked once: a thousand ports cost a few draw calls, not three thousand.
      var paths = {}, texts = [], pendingAt = null;
      steps.forEach(function (entry) {
        var node = nodeOf(entry);
        if (!node) { return; }
        var centre = node.position();
        if (centre.x < x1 || centre.x > x2 || centre.y < y1 || centre.y > y2) { return; }   // off screen
        entry.ports.forEach(function (port) {
          var x = centre.x + port.offset.x, y = centre.y + port.offset.y;
          if (port.id === pending) { pendingAt = {x: x, y: y, colour: port.colour}; return; }
          var path = paths[port.colour] || (paths[port.colour] = new Path2D());
          path.moveTo(x + RADIUS, y);
          path.arc(x, y, RADIUS, 0, 2 * Math.PI);
          if (labels) { texts.push({text: port.label, side: port.side, x: x, y: y}); }
        });
      });
      context.strokeStyle = "#374151";
      context.lineWidth = 1 / Math.max(zoom, 0.2);
      Object.keys(paths).forEach(function (colour) {
        context.fillStyle = colour;
        context.fill(paths[colour]);
        context.stroke(paths[colour]);
      });
      if (pendingAt) {
        context.beginPath();
        context.arc(pendingAt.x, pendingAt.y, RADIUS + 2, 0, 2 * Math.PI);
        context.fillStyle = pendingAt.colour;
        context.fill();
        context.strokeStyle = "#2563eb";
        context.lineWidth = 3 / Math.max(zoom, 0.2);
        context.stroke();
      }
      context.fillStyle = "#374151";
      texts.forEach(function (text) {
        context.textAlign = text.side === "in" ? "left" : "right";
        context.fillText(text.text, text.x + (text.side === "in" ? RADIUS + 4 : -RADIUS - 4), text.y);
      });
    }

    function scheduleDraw() {
      if (queued) { return; }
      queued = true;
      window.requestAnimationFrame(function () { queued = false; draw(); });
    }
    cy.on("render", draw);
    cy.on("resize", scheduleDraw);   // cytoscape draws a frame on every pan, zoom and drag, and says so ("render")

    // The port under a point of the page (clientX, clientY), within a few pixels, or null.
    function hit(clientX, clientY) {
      var rect = container.getBoundingClientRect(), zoom = cy.zoom(), pan = cy.pan();
      var x = (clientX - rect.left - pan.x) / zoom, y = (clientY - rect.top - pan.y) / zoom;
      var reach = Math.max(RADIUS + 2, 8 / zoom), best = null, bestDistance = Infinity;
      steps.forEach(function (entry) {
        var node = nodeOf(entry);
        if (!node) { return; }
        var centre = node.position();
        if (Math.abs(x - centre.x) > entry.width / 2 + reach || Math.abs(y - centre.y) > entry.height / 2 + reach) { return; }
        entry.ports.forEach(function (port) {
          var distance = Math.hypot(centre.x + port.offset.x - x, centre.y + port.offset.y - y);
          if (distance <= reach && distance < bestDistance) { best = port; bestDistance = distance; }
        });
      });
      return best;
    }

    return {
      set: set,
      hit: hit,
      get: function (id) { return byId[id] || null; },
      // The endpoint of an edge at a port, relative to its step's centre (cytoscape's source-endpoint / target-endpoint).
      endpoint: function (id) { var port = byId[id]; return port ? port.offset.x + "px " + port.offset.y + "px" : null; },
      pending: function (id) { if (id !== undefined) { pending = id; draw(); } return pending; },
      renderedPosition: function (id) {
        var port = byId[id];
        if (!port) { return null; }
        var position = modelPosition(port), zoom = cy.zoom(), pan = cy.pan();
        return {x: position.x * zoom + pan.x, y: position.y * zoom + pan.y};
      },
      count: function () { return Object.keys(byId).length; }
    };
  };
})();
