/* Steps that change the public site (publish, withdraw) ask first. Their buttons are links
 * to a confirmation page (casefile.transition_views.confirm_step); here the same form opens
 * in a dialog on the page instead, and Cancel or Escape closes it.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("a[data-confirm-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.dataset.confirmDialog);
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var cancel = event.target.closest("dialog [data-close-dialog]");
    if (cancel) {
      event.preventDefault();
      cancel.closest("dialog").close();
    }
  });
})();
