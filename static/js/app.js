// Ondernemerspunt: small progressive enhancements. Pages work without this file.
"use strict";

// Explain the * that marks a required field, once per form (WCAG 3.3.2). Without this script
// the fields still carry the `required` attribute, which assistive technology announces.
(function explainRequiredFields() {
  const note = document.body.dataset.requiredNote;
  if (!note) {
    return;
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector(".asteriskField") || form.querySelector(".required-note")) {
      return;
    }
    const paragraph = document.createElement("p");
    paragraph.className = "required-note form-text";
    paragraph.textContent = note;
    form.prepend(paragraph);
  });
})();
