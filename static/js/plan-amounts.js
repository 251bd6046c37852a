// Amounts as residents type them, read by the rules of coaching/amounts.py parse_amount, and
// marked at once beside the field when they cannot be read (a minus sign, "1,250.00", three
// decimals, text, too high). The messages are the server's own, in the page's language: the
// page carries them in the JSON block "amount-messages" (coaching/templatetags/plan.py). The
// server checks again on saving; its message is the one that counts.
"use strict";
(function () {
  const CURRENCY = /€|\beuros?\b|\beur\b/gi;
  const GROUPED = /^\d{1,3}(\.\d{3})+(,\d{1,2})?$/;
  const PLAIN = /^\d+(,\d{1,2})?$/;
  const DECIMAL_POINT = /^\d+\.\d{1,2}$/;
  const ONLY_NUMBER_SIGNS = /^[\d.,]+$/;

  // { value: whole cents or null (nothing typed), error: null or the AmountError code }.
  function read(text, maximumCents) {
    if (text === null || text === undefined) return { value: null, error: null };
    let s = String(text).replace(CURRENCY, "").replace(/\u00a0/g, "").replace(/ /g, "").trim();
    if (s.endsWith(",--")) s = s.slice(0, -3);
    else if (s.endsWith(",-")) s = s.slice(0, -2);
    if (s === "") return { value: null, error: null };
    if (/^[-−–]/.test(s)) return { value: null, error: "negative" };
    if (s[0] === "+") s = s.slice(1);
    let number;
    if (GROUPED.test(s) || PLAIN.test(s)) {
      number = s.replace(/\./g, "").replace(",", ".");
    } else if (DECIMAL_POINT.test(s)) {
      number = s;
    } else if (ONLY_NUMBER_SIGNS.test(s)) {
      return { value: null, error: "format" };
    } else {
      return { value: null, error: "invalid" };
    }
    const parts = number.split(".");
    const value = Number(parts[0]) * 100 + Number(((parts[1] || "") + "00").slice(0, 2));
    if (maximumCents !== undefined && value > maximumCents) return { value: null, error: "too_large" };
    return { value: value, error: null };
  }

  // A rate may be typed as "9%" (coaching/fields.py RateField).
  function withoutPercent(value) {
    return typeof value === "string" ? value.trim().replace(/%$/, "") : value;
  }

  const messagesElement = document.getElementById("amount-messages");
  const settings = messagesElement ? JSON.parse(messagesElement.textContent) : null;

  function kindOf(input) {
    return input.classList.contains("rate") ? "rate" : "amount";
  }

  function maximumCents(kind) {
    const maximum = settings ? settings[kind].maximum : kind === "rate" ? "25" : "10000000";
    return Math.round(Number(maximum) * 100);
  }

  // Read a typed amount (kind "amount") or rate (kind "rate") with the field's own maximum.
  function readField(text, kind) {
    return kind === "rate" ? read(withoutPercent(text), maximumCents("rate")) : read(text, maximumCents("amount"));
  }

  // --- Marking a field that cannot be read --------------------------------------------------
  const form = document.getElementById("plan-section");

  function serverMessages(input) {
    const box = document.getElementById(input.id + "_error");
    return box ? Array.prototype.map.call(box.querySelectorAll(".invalid-feedback"), function (el) {
      return el.textContent.trim();
    }) : [];
  }

  function describedBy(input, id, add) {
    const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (add) ids.push(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function mark(input) {
    if (!settings || !input.id) return;
    if (!("serverInvalid" in input.dataset)) {
      input.dataset.serverInvalid = input.getAttribute("aria-invalid") === "true" ? "1" : "";
    }
    const kind = kindOf(input);
    const result = readField(input.value, kind);
    const liveId = input.id + "_live_error";
    let live = document.getElementById(liveId);
    input.classList.toggle("is-invalid", result.error !== null);
    if (result.error === null) {
      if (live) live.remove();
      describedBy(input, liveId, false);
      if (input.dataset.serverInvalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      return;
    }
    const message = settings[kind].messages[result.error];
    input.setAttribute("aria-invalid", "true");
    // The server said the same when this was saved: one message is enough.
    if (serverMessages(input).indexOf(message) !== -1) {
      if (live) live.remove();
      describedBy(input, liveId, false);
      return;
    }
    if (!live) {
      live = document.createElement("div");
      live.id = liveId;
      live.className = "invalid-feedback d-block";
      live.setAttribute("data-live-error", "");
      const serverBox = document.getElementById(input.id + "_error");
      const after = serverBox || input;
      after.parentNode.insertBefore(live, after.nextSibling);
    }
    live.textContent = message;
    describedBy(input, liveId, true);
  }

  function markAll() {
    form.querySelectorAll("input.amount").forEach(mark);
  }

  if (form && settings) {
    form.addEventListener("input", function (event) {
      const target = event.target;
      if (target && target.matches && target.matches("input.amount")) mark(target);
      else markAll(); // a restored draft or a new row: look at every field
    });
    markAll();
  }

  window.OndernemerspuntAmounts = {
    read: read,
    readField: readField,
    withoutPercent: withoutPercent,
    maximumCents: maximumCents,
  };
})();
