// Move focus to the error summary when a form comes back with errors, as the GOV.UK pattern
// does, so screen reader and keyboard users hear the problems first. Without JavaScript the
// summary is still the first thing in the main content.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
