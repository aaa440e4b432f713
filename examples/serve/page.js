// The serve example's page script: small conveniences only; the page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Changing what the chart is split by reloads it at once.
  const split = document.getElementById("split");
  if (split) split.addEventListener("change", () => split.form.submit());
  // "/" focuses the search box, as on many search sites.
  const q = document.getElementById("q");
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && q && document.activeElement !== q) {
      e.preventDefault();
      q.focus();
      q.select();
    }
  });
});
