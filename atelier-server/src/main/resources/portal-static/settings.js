// The Settings pages in the browser: typed-name confirmation of a workspace deletion, copying a
// new API token, and hiding a secret value that was shown. Listeners are delegated from the
// document, so content that htmx swaps in works too; no inline handlers.
(function () {
  "use strict";

  // A delete button marked data-confirm-button stays disabled until its form's data-confirm-name
  // field holds exactly that name (the server checks it again).
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-confirm-name]")) { return; }
    var button = field.form && field.form.querySelector("[data-confirm-button]");
    if (button) { button.disabled = field.value.trim() !== field.getAttribute("data-confirm-name"); }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    var copy = target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent).then(function () { copy.textContent = "Copied"; });
      }
      return;
    }
    // "Hide" removes a shown secret value from the page altogether, not only from view.
    var hide = target.closest("[data-hide]");
    if (hide) {
      var shown = hide.closest(".secret-reveal");
      if (shown) { shown.parentNode.removeChild(shown); }
    }
  });
})();
