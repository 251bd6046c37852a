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

// A table wider than the screen scrolls sideways inside its box. A keyboard user can scroll it
// only when the box takes focus (WCAG 2.1.1), and a screen reader then names the box after the
// table's caption. A box that fits, or that holds fields or links to tab to, needs neither:
// a tab stop there would only be in the way. Boxes change width with the window, when a
// <details> opens, and when a script fills in a table while the resident types.
(function letWideTablesScroll() {
  function update() {
    const boxes = document.querySelectorAll(
      ".table-responsive:not([tabindex]), .table-responsive[data-scroll-region]"
    );
    boxes.forEach(function (box) {
      const scrolls = box.scrollWidth > box.clientWidth;
      const reachable = box.querySelector("a[href], button, input, select, textarea");
      if (scrolls && !reachable) {
        const caption = box.querySelector("caption");
        box.dataset.scrollRegion = "";
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (caption) {
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if ("scrollRegion" in box.dataset) {
        delete box.dataset.scrollRegion;
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  let pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
  }
  update();
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true); // <details> opening; toggle does not bubble
  document.addEventListener("input", later);
})();
