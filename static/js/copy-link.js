// Progressive enhancement of the private link: a "Copy link" button. Without JavaScript the
// button stays hidden and the read-only field can still be selected and copied by hand.
(function () {
  "use strict";

  function copyWithSelection(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!input) {
      return;
    }
    function report(copied) {
      if (status) {
        status.textContent = copied
          ? "Link copied. Paste it somewhere safe."
          : "Could not copy automatically: the link is selected, press Ctrl+C (or Cmd+C) to copy it.";
      }
      if (!copied) {
        input.focus();
        input.select();
      }
    }
    input.addEventListener("focus", function () {
      input.select();
    });
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () {
            report(true);
          },
          function () {
            report(copyWithSelection(input));
          }
        );
      } else {
        report(copyWithSelection(input));
      }
    });
    button.hidden = false;
  });
})();
