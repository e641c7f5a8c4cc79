/* The incident form: a figure may cite a source added in the same form.
 *
 * The server lists the blank source rows it rendered as "New source N" in each figure's
 * source choice (incidents.forms.source_choices). Rows added with "Add another source" get
 * their choice here, and each new source's choice shows its headline as it is typed.
 * Without JavaScript the rendered rows are enough to file two sources and their figures.
 */
(function () {
  "use strict";

  var SOURCE_TITLE = /^sources-(\d+)-title$/;

  function figureSelects() {
    var selects = Array.prototype.slice.call(
      document.querySelectorAll("select[data-source-choice]")
    );
    var template = document.querySelector(
      '[data-formset="figures"] template[data-formset-template]'
    );
    if (template) {
      selects = selects.concat(
        Array.prototype.slice.call(template.content.querySelectorAll("select[data-source-choice]"))
      );
    }
    return selects;
  }

  function optionText(select, index, headline) {
    var label = (select.dataset.newSourceLabel || "New source {number}").replace(
      "{number}",
      String(index + 1)
    );
    return headline ? label + ": " + headline : label;
  }

  function ensureChoice(index, headline) {
    figureSelects().forEach(function (select) {
      var value = "new-" + index;
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === value;
      });
      if (!option) {
        option = document.createElement("option");
        option.value = value;
        select.appendChild(option);
      }
      option.textContent = optionText(select, index, headline);
    });
  }

  function sourceIndex(element) {
    var match = element && element.name ? SOURCE_TITLE.exec(element.name) : null;
    return match ? parseInt(match[1], 10) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.querySelector('[data-formset="sources"] [data-formset-rows]');
    if (!rows) {
      return;
    }
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.querySelector) {
            var index = sourceIndex(node.querySelector("input[name$='-title']"));
            if (index !== null) {
              ensureChoice(index, "");
            }
          }
        });
      });
    }).observe(rows, { childList: true });
    rows.addEventListener("input", function (event) {
      var index = sourceIndex(event.target);
      var row = event.target.closest(".formset-row");
      // Only rows not saved yet are "new"; a saved source keeps its stored name.
      var saved = row && row.querySelector("input[name$='-id']");
      if (index !== null && !(saved && saved.value)) {
        ensureChoice(index, event.target.value.trim());
      }
    });
  });
})();
