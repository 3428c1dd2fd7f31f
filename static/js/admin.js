"use strict";
// Accessibility repairs of markup that Django's admin scripts build in the browser (loaded on every admin page by
// templates/admin/base_site.html; no inline scripts, the Content-Security-Policy stays strict).
//
// - The two-box widget (SelectFilter2) labels its filter field with a search icon: a <span> carrying an aria-label,
//   which a span without a role may not have (axe: aria-prohibited-attr). As an image with that name it is allowed,
//   and the filter field gets the name from it.
// - The search boxes (select2) of autocomplete fields replace the labelled <select>: their combobox, the text that
//   shows the choice and their search field get the field's label as their name too (axe: label,
//   aria-input-field-name).
(function () {
  function labelOf(select) {
    if (!select || !select.id) {
      return null;
    }
    const label = document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) {
      label.id = select.id + "_label";
    }
    return label;
  }

  function repair(root) {
    root.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("span.select2-container").forEach(function (container) {
      const select = container.previousElementSibling;
      const isSelect = select && select.tagName === "SELECT";
      const label = labelOf(isSelect ? select : null);
      // In a tabular inline (e.g. the speakers of a programme item) the <select> has no <label>, only the
      // aria-label the inline gives every control: the search box and the combobox take that name.
      const ownName = isSelect ? select.getAttribute("aria-label") : null;
      if (!label && ownName) {
        container.querySelectorAll(".select2-selection[role=combobox]:not([aria-label])").forEach(function (box) {
          box.setAttribute("aria-label", ownName);
        });
        container.querySelectorAll("input.select2-search__field:not([aria-label])").forEach(function (field) {
          field.setAttribute("aria-label", ownName);
        });
        return;
      }
      if (!label) {
        return;
      }
      container.querySelectorAll(".select2-selection[role=combobox]").forEach(function (combobox) {
        const ids = (combobox.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
        if (ids.indexOf(label.id) === -1) {
          combobox.setAttribute("aria-labelledby", [label.id].concat(ids).join(" "));
        }
      });
      container.querySelectorAll("input.select2-search__field:not([aria-label])").forEach(function (field) {
        field.setAttribute("aria-label", label.textContent.replace(/[:*]\s*$/, "").trim());
      });
      container.querySelectorAll(".select2-selection__rendered[role=textbox]:not([aria-labelledby])").forEach(
        function (shown) {
          shown.setAttribute("aria-labelledby", label.id + " " + shown.id);
        }
      );
      // The "×" that clears a multiple choice is a mouse shortcut (the keyboard clears with Backspace); as a bare
      // <span> it sits among the list items of the choices.
      container.querySelectorAll("ul > span.select2-selection__clear").forEach(function (clear) {
        clear.setAttribute("aria-hidden", "true");
      });
    });
  }

  // Repaired once per frame after the scripts have changed the page (a full pass is cheap; attributes it sets do
  // not trigger the observer, which watches added elements only).
  let scheduled = false;
  new MutationObserver(function () {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(function () {
        scheduled = false;
        repair(document);
      });
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
