// The "Select all" box on django-import-export's export page (admin, action plan activities).
// The package wires it with an inline onchange attribute, which our Content Security Policy blocks, so
// the box did nothing. This file (served from our own origin, so allowed) attaches the same behaviour,
// and gives the box the id its label points at, so the label works and names it for screen readers.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    if (!toggle.id) {
      toggle.id = "select-all-toggle";
    }
    toggle.removeAttribute("onchange");
    toggle.addEventListener("change", () => {
      document
        .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
        .forEach((field) => {
          field.checked = toggle.checked;
        });
    });
  });
});
