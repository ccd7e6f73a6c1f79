// Django's admin, after a form was sent with mistakes: focus on its error note, so a
// keyboard or screen-reader user starts where the page says what went wrong (WCAG 3.3.1),
// as on the site's own forms. From our own origin, within the CSP.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  const note = document.querySelector(".errornote");
  if (!note) return;
  note.classList.add("error-summary");
  note.setAttribute("tabindex", "-1");
  note.setAttribute("role", "alert");
  note.focus();
});
