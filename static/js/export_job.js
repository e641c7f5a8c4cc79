/* A large export's page: its progress, polled and shown in place.
 *
 * An enhancement only: without JavaScript the page reloads itself (a <noscript> refresh)
 * until the file is ready. When the job is over, the page is loaded again so the server
 * shows the download link (or what went wrong). Data from the server is only ever written
 * with textContent and attributes.
 */
(function () {
  "use strict";

  var POLL_EVERY_MS = 2000;
  var RETRY_AFTER_ERROR_MS = 10000;
  // A tab left open on a job no worker picks up should not poll for ever.
  var GIVE_UP_AFTER_MS = 60 * 60 * 1000;

  var section = document.querySelector("[data-export-job]");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.dataset.progressUrl;
  var bar = section.querySelector('[data-export-field="bar"]');
  var message = section.querySelector('[data-export-field="message"]');
  var started = Date.now();

  function show(progress) {
    if (progress.percent === null || progress.percent === undefined) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = progress.percent;
      bar.textContent = progress.percent + "%";
    }
    // Only a changed text is written: the live region announces every write.
    if (message.textContent !== progress.message) {
      message.textContent = progress.message;
    }
  }

  function schedule(delay) {
    if (Date.now() - started < GIVE_UP_AFTER_MS) {
      window.setTimeout(poll, delay);
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        section.dataset.state = progress.state;
        if (progress.active) {
          schedule(POLL_EVERY_MS);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        schedule(RETRY_AFTER_ERROR_MS);
      });
  }

  schedule(POLL_EVERY_MS);
})();
