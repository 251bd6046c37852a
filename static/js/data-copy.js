// A copy of one's data (templates/intake/data_copy.html): while a copy is being made, the page
// loads itself again every few seconds, so that the download link appears without a click.
// It stops by itself: the page carries data-refresh only while a copy is pending and not late
// (intake/data_copy.py LATE_AFTER). Without this script the page has a "Refresh" link.
"use strict";

(function refreshWhilePending() {
  const marker = document.querySelector("[data-refresh]");
  if (!marker) {
    return;
  }
  const seconds = Number(marker.dataset.refresh) || 5;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
