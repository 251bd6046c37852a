// Shared computers (issue 13). A session that nobody uses ends on the server
// (ondernemerspunt/sessions.py); this script
//  - warns shortly before that happens, with a button that keeps the session;
//  - when the time is up, opens the page again, so that the server logs out and shows the
//    login page instead of leaving the last person's file on the screen;
//  - on "Log out", hands the plan's typing to the server and then removes this user's drafts
//    from the browser, so the next person at this computer finds nothing (typing the server
//    did not get stays, kept for this user only, rather than being lost).
// The timings come from data attributes on #session-warning (no inline script: CSP).
"use strict";
(function () {
  const warning = document.getElementById("session-warning");
  const prefix = document.body.dataset.draftPrefix || "";
  // Drafts stored before they were kept per user could be read by anyone on this computer.
  const LEGACY_PREFIX = "ondernemerspunt-plan-";
  // Opening the page again a moment after the end, so the server surely sees the time is up.
  const GRACE_MS = 1000;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function removeDrafts(startsWith) {
    const store = storage();
    if (!store) return;
    const keys = [];
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i);
      if (key && startsWith.some((start) => start && key.startsWith(start))) keys.push(key);
    }
    keys.forEach((key) => store.removeItem(key));
  }

  removeDrafts([LEGACY_PREFIX]);

  // --- Logging out: the typing goes to the server first, then nothing stays behind ---------
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const autosave = window.OndernemerspuntAutosave;
      const flushed = autosave ? autosave.flush() : Promise.resolve(true);
      const atMost = new Promise((resolve) => window.setTimeout(() => resolve(false), 3000));
      Promise.race([flushed, atMost])
        .catch(() => false)
        .then(function (saved) {
          if (autosave) autosave.stop();
          // Typing the server did not get stays, for this user only, until they log in again.
          removeDrafts(saved ? [prefix, LEGACY_PREFIX] : [LEGACY_PREFIX]);
          form.submit();
        });
    });
  });

  // --- The warning before an idle session ends -------------------------------------------
  if (!warning || !window.fetch) return;
  const warnBefore = Number(warning.dataset.warnBefore) * 1000;
  const endText = warning.querySelector("[data-session-end]");
  const keepForm = warning.querySelector("form");
  let warnTimer = null;
  let endTimer = null;

  function clock(date) {
    const two = (n) => String(n).padStart(2, "0");
    return two(date.getHours()) + ":" + two(date.getMinutes());
  }

  function schedule(secondsLeft) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warning.hidden = true;
    const left = secondsLeft * 1000;
    const end = new Date(Date.now() + left);
    warnTimer = window.setTimeout(function () {
      if (endText) endText.textContent = clock(end);
      warning.hidden = false;
    }, Math.max(0, left - warnBefore));
    endTimer = window.setTimeout(function () {
      // The plan's typing stays on this device, for this user, until they log in again.
      const autosave = window.OndernemerspuntAutosave;
      if (autosave) autosave.stop();
      window.location.replace(window.location.href);
    }, left + GRACE_MS);
  }

  // The server answered a request of this page (the plan's autosave) and said how long the
  // session has left: it notes activity at most once a minute, so not always the full time.
  document.addEventListener("ondernemerspunt:session-used", function (event) {
    const secondsLeft = Number(event.detail);
    if (secondsLeft > 0) schedule(secondsLeft);
  });

  if (keepForm) {
    keepForm.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(keepForm.action, {
        method: "POST",
        body: new FormData(keepForm),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          schedule(Number(data.seconds_left));
        })
        .catch(function () {
          // Already logged out (or the server is away): the page itself says what happened.
          window.location.replace(window.location.href);
        });
    });
  }

  schedule(Number(warning.dataset.secondsLeft));
})();
