// Live results (issue 15): an open evaluation's results page (`/evaluations/{id}`) follows new
// answers by itself, so that a chair can show the mid-term evaluation filling in during a
// meeting. A plain script, loaded by that page only while the evaluation is open, so the app's
// bundle does not grow; without JavaScript the page shows the results as they were when it
// was loaded (reloading it shows the latest).
//
// Every 5 seconds while the page is visible and the browser online, it asks the server for the
// page again (the same address, the same session; the service worker lets it through to the
// network and keeps nothing of it), and when the part marked
// `[data-live-results]` (the count, the figures, the charts and their tables) differs, puts the
// new part in place and says so in the status line `[data-live-note]` ("Updated at 14:32: 5
// answers counted."), which screen readers announce. Nothing is replaced while the person is
// using something inside that part (a focused link or button), nor while text in it is
// selected; the next round does it. An anonymous questionnaire's figures move in batches on
// the server already (desk_core's `published`), so this shows nothing the server would not.
(() => {
  "use strict";
  const PERIOD_MS = 5000;
  const live = document.querySelector("[data-live-results]");
  const note = document.querySelector("[data-live-note]");
  if (!live || !note) return;
  note.hidden = false;
  note.textContent = "These results follow new answers by themselves.";
  let busy = false;

  function inUse() {
    const selection = window.getSelection();
    const selecting = selection && !selection.isCollapsed && live.contains(selection.anchorNode);
    return selecting || live.contains(document.activeElement);
  }

  async function refresh() {
    if (busy || document.hidden || !navigator.onLine || inUse()) return;
    busy = true;
    try {
      const response = await fetch(location.href, { headers: { accept: "text/html", "x-pd-live": "1" }, credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-live-results]");
      if (!fresh) return;
      if (fresh.innerHTML !== live.innerHTML && !inUse()) {
        live.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)));
        const count = live.querySelector(".response-count");
        const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        note.textContent = `Updated at ${time}: ${count ? count.textContent.split(" (")[0] : "new answers"}.`;
      }
    } catch (_offline) {
      // The next round tries again.
    } finally {
      busy = false;
    }
  }

  setInterval(refresh, PERIOD_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
})();
