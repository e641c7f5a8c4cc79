/* Appeal staff screens: live PDF render status, and the kind/follows pair on the form.
 *
 * Everything here is an enhancement: without JavaScript the status shows as it was when
 * the page loaded (with a "Refresh" link) and the server validates kind and follows.
 * CSP allows no inline script or style attributes, and data from the server is only ever
 * written with textContent.
 */
(function () {
  "use strict";

  var POLL_EVERY_MS = 2000;
  var RETRY_AFTER_ERROR_MS = 10000;
  // A tab left open on a job no worker picks up should not poll for ever.
  var GIVE_UP_AFTER_MS = 15 * 60 * 1000;
  var ACTIVE = { queued: true, rendering: true };

  function isActive(state) {
    return Object.prototype.hasOwnProperty.call(ACTIVE, state);
  }

  function setField(box, name, value) {
    var element = box.querySelector('[data-render-field="' + name + '"]');
    if (!element) {
      return;
    }
    element.textContent = value === null || value === undefined ? "" : String(value);
    if (name === "error") {
      element.hidden = !value;
    }
  }

  function findBox(section, language) {
    var boxes = section.querySelectorAll("[data-render-language]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].dataset.renderLanguage === language) {
        return boxes[i];
      }
    }
    return null;
  }

  function pollRenders(section) {
    var url = section.dataset.renderStatusUrl;
    var started = Date.now();

    function schedule(delay) {
      if (Date.now() - started < GIVE_UP_AFTER_MS) {
        window.setTimeout(poll, delay);
      }
    }

    function apply(data) {
      var finished = false;
      var active = false;
      (data.jobs || []).forEach(function (job) {
        var box = findBox(section, job.language);
        if (!box) {
          return;
        }
        var before = box.dataset.state || "";
        setField(box, "state_label", job.state_label);
        setField(box, "attempts", job.attempts);
        setField(box, "error", job.error);
        box.dataset.state = job.state;
        if (isActive(before) && !isActive(job.state)) {
          finished = true;
        }
        if (isActive(job.state)) {
          active = true;
        }
      });
      if (finished) {
        // The versions list and the messages come from the server: show them fresh.
        window.location.reload();
      } else if (active) {
        schedule(POLL_EVERY_MS);
      }
    }

    function poll() {
      if (document.hidden) {
        schedule(POLL_EVERY_MS);
        return;
      }
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response);
        })
        .then(apply)
        .catch(function () {
          schedule(RETRY_AFTER_ERROR_MS);
        });
    }

    schedule(POLL_EVERY_MS);
  }

  /* An urgent appeal follows up on nothing: while that kind is chosen, the "follows"
   * select is disabled (so not submitted) rather than cleared, keeping the choice in
   * case the kind is changed back. */
  function linkKindAndFollows() {
    var kind = document.getElementById("id_kind");
    var follows = document.getElementById("id_follows");
    if (!kind || !follows || kind.disabled || follows.disabled) {
      return;
    }
    function sync() {
      follows.disabled = kind.value === "urgent_appeal";
    }
    kind.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-render-status-url][data-render-poll]");
    if (section) {
      pollRenders(section);
    }
    linkKindAndFollows();
  });
})();
