// The batch endpoint page (web/batch, jte/batch/endpoint.jte): a key stays masked until shown, and is copied whole.
(function () {
  "use strict";
  var MASK = "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";

  function target(button) { return document.getElementById(button.getAttribute("data-target")); }

  // portal.js runs the actions named in data-click.
  if (window.atelier && window.atelier.actions) {
    window.atelier.actions["toggle-batch-key"] = function (button) {
      var key = target(button);
      var shown = key.textContent !== MASK;
      key.textContent = shown ? MASK : key.getAttribute("data-key");
      button.textContent = shown ? "Show" : "Hide";
    };
    window.atelier.actions["copy-batch-key"] = function (button) {
      var done = function () { button.textContent = "Copied"; window.setTimeout(function () { button.textContent = "Copy"; }, 1500); };
      navigator.clipboard.writeText(target(button).getAttribute("data-key")).then(done, function () { button.textContent = "Copy failed"; });
    };
  }
})();
