/* Staff screens: searchable pickers (Tom Select) and "Add another" rows for formsets.
 *
 * Everything here is an enhancement: without JavaScript the pickers are plain selects
 * showing the current choices and each formset has one blank row.
 * CSP allows no inline script or style attributes, so all behaviour is bound here.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* A live message under the picker, read out by screen readers. */
  function pickerMessage(select, text) {
    var id = select.id + "-picker-message";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "picker-message";
      box.setAttribute("role", "alert");
      var wrapper = select.tomselect ? select.tomselect.wrapper : select;
      wrapper.insertAdjacentElement("afterend", box);
    }
    box.textContent = text || "";
  }

  function errorText(data, fallback) {
    if (!data || !data.errors) {
      return fallback;
    }
    var parts = [];
    Object.keys(data.errors).forEach(function (field) {
      parts = parts.concat(data.errors[field]);
    });
    return parts.join(" ") || fallback;
  }

  function remoteSettings(select) {
    var searchUrl = select.dataset.searchUrl;
    return {
      valueField: "id",
      labelField: "text",
      searchField: ["text"],
      loadThrottle: 250,
      preload: "focus",
      load: function (query, callback) {
        var url = new URL(searchUrl, window.location.href);
        url.searchParams.set("q", query);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : Promise.reject(response);
          })
          .then(function (data) {
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
    };
  }

  function createSetting(select) {
    var createUrl = select.dataset.createUrl;
    var errorLabel = select.dataset.labelError || "Error";
    return function (input, callback) {
      var body = new FormData();
      body.append("name", input);
      var countryFrom = select.dataset.createCountryFrom;
      var country = countryFrom ? document.getElementById(countryFrom) : null;
      if (country && country.value) {
        body.append("country", country.value);
      }
      fetch(createUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return null;
            })
            .then(function (data) {
              return { ok: response.ok, data: data };
            });
        })
        .then(function (result) {
          if (result.ok && result.data) {
            pickerMessage(select, "");
            callback(result.data);
          } else {
            pickerMessage(select, errorText(result.data, errorLabel));
            callback();
          }
        })
        .catch(function () {
          pickerMessage(select, errorLabel);
          callback();
        });
    };
  }

  function initPicker(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var addLabel = select.dataset.labelAdd || "Add";
    var settings = {
      plugins: {},
      // A local list (the 184 languages) shows whole; a searched one, 50 at a time.
      maxOptions: select.dataset.picker === "local" ? null : 50,
      render: {},
    };
    var removeLabel = select.dataset.labelRemove || "Remove";
    if (select.multiple) {
      settings.plugins.remove_button = { title: removeLabel };
    } else {
      // A real button, named in words: Tom Select's own is a div that reads as "×".
      settings.plugins.clear_button = {
        title: removeLabel,
        html: function () {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "clear-button";
          button.title = removeLabel;
          button.setAttribute("aria-label", removeLabel);
          button.textContent = "\u00d7";
          return button;
        },
      };
    }
    if (select.dataset.searchUrl) {
      Object.assign(settings, remoteSettings(select));
      settings.render.no_results = function () {
        var text = select.dataset.labelNoResults || "";
        var div = document.createElement("div");
        div.className = "no-results";
        div.textContent = text;
        return div;
      };
    }
    if (select.dataset.createUrl) {
      settings.create = createSetting(select);
      // Offer "Add" only when no loaded option already has exactly this name.
      settings.createFilter = function (input) {
        var wanted = input.trim().toLowerCase();
        var options = this.options;
        return (
          wanted !== "" &&
          !Object.keys(options).some(function (key) {
            return String(options[key].text).trim().toLowerCase() === wanted;
          })
        );
      };
      settings.render.option_create = function (data, escape) {
        return (
          '<div class="create">' +
          escape(addLabel) +
          " <strong>" +
          escape(data.input) +
          "</strong>&hellip;</div>"
        );
      };
    }
    var picker = new TomSelect(select, settings);
    // The label now points at Tom Select's own input. The original <select> stays in
    // the page because it is what the form submits: keep it out of the accessibility
    // tree so screen readers do not meet an unlabelled duplicate.
    select.setAttribute("aria-hidden", "true");
    select.setAttribute("tabindex", "-1");
    describeLikeSelect(picker, select);
    // Tom Select's input can take focus while the picker is under the sticky save bar or
    // below the window: bring the whole picker into view (scroll-padding keeps it above
    // the bar).
    picker.control_input.addEventListener("focus", function () {
      window.requestAnimationFrame(function () {
        picker.wrapper.scrollIntoView({ block: "nearest", inline: "nearest" });
      });
    });
    var clear = picker.control.querySelector(".clear-button");
    if (clear) {
      // After clearing, the button hides itself: keep the keyboard in the picker.
      clear.addEventListener("click", function () {
        picker.focus();
      });
    }
  }

  /* Help text, errors and "required" that Django put on the <select> are for the control
     a screen reader meets: Tom Select's input. */
  function describeLikeSelect(picker, select) {
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        picker.control_input.setAttribute(name, select.getAttribute(name));
      }
    });
    if (select.required && !select.hasAttribute("aria-required")) {
      picker.control_input.setAttribute("aria-required", "true");
    }
  }

  /* Browsers leave a half-visible field (a tall text box at the bottom of the window) where
     it is when it takes focus: show all of it, above the sticky save bar. */
  function showFocusedField(event) {
    var field = event.target;
    if (field.matches && field.matches("input, select, textarea") && field.form) {
      field.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  /* The error summary links to a field by id; a picker's <select> is hidden, so a link to
     it moves the keyboard to the picker's input instead. */
  function followSummaryLink(event) {
    var link = event.target.closest("#error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (target && target.tomselect) {
      event.preventDefault();
      target.tomselect.focus();
      target.tomselect.wrapper.scrollIntoView({ block: "center" });
    }
  }

  function initPickers(root) {
    root.querySelectorAll("select[data-picker]").forEach(initPicker);
  }

  function initFormset(container) {
    var prefix = container.dataset.formset;
    var template = container.querySelector("template[data-formset-template]");
    var rows = container.querySelector("[data-formset-rows]");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maxForms = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var button = container.querySelector("[data-formset-add]");
    if (!template || !rows || !total || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (maxForms && index >= parseInt(maxForms.value, 10)) {
        return;
      }
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      initPickers(row);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        (first.tomselect ? first.tomselect : first).focus();
      }
    });
  }

  function markDeletedRows(event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !/-DELETE$/.test(box.name)) {
      return;
    }
    var row = box.closest(".formset-row");
    if (row) {
      row.classList.toggle("form-row-deleted", box.checked);
    }
  }

  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    initPickers(document);
    document.querySelectorAll("[data-formset]").forEach(initFormset);
    document.addEventListener("change", markDeletedRows);
    document.addEventListener("click", followSummaryLink);
    document.addEventListener("focusin", showFocusedField);
    focusErrorSummary();
  });
})();
