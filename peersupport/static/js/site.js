// The only script of the site, from its own origin (the CSP allows no other).
// Everything works without it; it adds what a page alone cannot do:
// - after a failed submission, focus on the error summary (where autofocus is not kept);
// - a warning two minutes before the idle limit, with "stay signed in" (WCAG 2.2.1);
// - what was typed on a page when the session ended is kept in this browser tab and
//   filled in again after signing in (sessionStorage: gone when the tab closes).
"use strict";

(function () {
  const WARN_BEFORE_MS = 2 * 60 * 1000;
  const KEPT = "kept-form:";

  function focusErrorSummary() {
    const summary = document.querySelector(".error-summary[autofocus]");
    if (summary && document.activeElement !== summary) summary.focus();
  }

  function keepForms() {
    const forms = [...document.querySelectorAll("main form[method=post]")];
    const kept = forms.map((form) =>
      [...form.elements]
        .filter((el) => el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "hidden" &&
          el.type !== "file" && el.type !== "submit" && el.type !== "button" && el.type !== "password")
        .map((el) => [el.name, el.type, ["checkbox", "radio"].includes(el.type) ? el.checked : el.value, el.value])
    );
    if (kept.some((fields) => fields.length)) {
      sessionStorage.setItem(KEPT + location.pathname, JSON.stringify(kept));
    }
  }

  function restoreForms() {
    const raw = sessionStorage.getItem(KEPT + location.pathname);
    if (!raw || !document.body.dataset.idleSeconds) return;
    sessionStorage.removeItem(KEPT + location.pathname);
    const forms = [...document.querySelectorAll("main form[method=post]")];
    JSON.parse(raw).forEach((fields, index) => {
      const form = forms[index];
      if (!form) return;
      for (const [name, type, state, value] of fields) {
        for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
          if (["checkbox", "radio"].includes(type)) {
            if (el.value === value) el.checked = state;
          } else if (el.type === type || el.tagName === "SELECT") {
            el.value = state;
          }
        }
      }
    });
    const note = document.getElementById("kept-note");
    if (note) {
      note.hidden = false;
      note.setAttribute("tabindex", "-1");
      note.focus();
    }
  }

  function sessionWarning() {
    const idleSeconds = Number(document.body.dataset.idleSeconds || 0);
    const dialog = document.getElementById("session-warning");
    if (!idleSeconds || !dialog || typeof dialog.showModal !== "function") return;
    const form = dialog.querySelector("form");
    const stay = dialog.querySelector("[data-stay]");
    const signIn = dialog.querySelector("[data-sign-in]");
    const text = document.getElementById("session-warning-text");
    let timers = [];
    let returnTo = null; // where the keyboard was before the warning: it goes back there

    const idleMs = idleSeconds * 1000;
    // A limit beyond what a timer can count (about 24 days) never needs a warning.
    if (idleMs > 2147483647) return;

    function start() {
      timers.forEach(clearTimeout);
      timers = [
        setTimeout(warn, Math.max(0, idleMs - WARN_BEFORE_MS)),
        setTimeout(expire, idleMs),
      ];
    }
    function warn() {
      if (!dialog.open) {
        returnTo = dialog.contains(document.activeElement) ? null : document.activeElement;
        dialog.showModal();
      }
      stay.focus();
    }
    function expire() {
      keepForms();
      text.textContent = text.dataset.expired;
      stay.hidden = true;
      signIn.hidden = false;
      if (!dialog.open) dialog.showModal();
      signIn.focus();
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = new FormData(form);
      body.delete("next");
      const answer = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
      if (answer.ok) {
        dialog.close();
        if (returnTo && returnTo.isConnected && returnTo !== document.body) returnTo.focus();
        returnTo = null;
        start();
      } else {
        expire();
      }
    });
    // Escape closes the dialog: that too is a wish to stay.
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      if (!stay.hidden) form.requestSubmit();
    });
    start();
  }

  document.addEventListener("DOMContentLoaded", () => {
    focusErrorSummary();
    restoreForms();
    sessionWarning();
  });
})();
