// Live results (issue 15): an open evaluation's results page (`/evaluations/{id}`) follows new
// answers by itself, so that a chair can show the mid-term evaluation filling in during a
// meeting. A plain script, loaded by that page only while the evaluation is open, so the app's
// bundle does not grow; without JavaScript the page shows the results as they were when it
// was loaded (reloading it shows the latest).
//
// The server says when an answer is recorded (server-sent events from the address in the
// status line's `data-live-events`, `GET /evaluations/{id}/live`); the page then asks the server
// for itself again (the same address, the same session; the service worker lets both through
// to the network and keeps nothing of them), and when the part marked `[data-live-results]`
// (the count, the figures, the charts and their tables) differs, puts the new part in place and
// says so in the status line `[data-live-note]` ("Updated at 14:32: 5 answers counted."),
// which screen readers announce. Should the events not come through (a proxy that holds them
// back), the page still asks once a minute. Nothing is replaced while the person is using
// something inside that part (a focused link or button), nor while text in it is selected,
// nor while the page is hidden or offline: it is done as soon as that ends. An anonymous
// questionnaire's figures move in batches on the server already (desk_core's `published`),
// so this shows nothing the server would not.
(() => {
  "use strict";
  const FALLBACK_MS = 60000;
  const RETRY_MS = 2000;
  const live = document.querySelector("[data-live-results]");
  const note = document.querySelector("[data-live-note]");
  if (!live || !note) return;
  note.hidden = false;
  note.textContent = "These results follow new answers by themselves.";
  let busy = false;
  // An answer was recorded (or a minute passed) and the page has not caught up yet.
  let due = false;

  function inUse() {
    const selection = window.getSelection();
    const selecting = selection && !selection.isCollapsed && live.contains(selection.anchorNode);
    return selecting || live.contains(document.activeElement);
  }

  async function refresh() {
    due = true;
    if (busy || document.hidden || !navigator.onLine || inUse()) return;
    busy = true;
    due = false;
    try {
      const response = await fetch(location.href, { headers: { accept: "text/html", "x-pd-live": "1" }, credentials: "same-origin", cache: "no-store" });
      if (!response.ok) {
        due = true;
        return;
      }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-live-results]");
      if (!fresh) return;
      if (inUse()) {
        due = true;
      } else if (fresh.innerHTML !== live.innerHTML) {
        live.replaceChildren(...[...fresh.childNodes].map((node) => document.importNode(node, true)));
        const count = live.querySelector(".response-count");
        const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        note.textContent = `Updated at ${time}: ${count ? count.textContent.split(" (")[0] : "new answers"}.`;
      }
    } catch (_offline) {
      due = true;
    } finally {
      busy = false;
    }
  }

  const address = note.dataset.liveEvents;
  if (address && "EventSource" in window) {
    // EventSource reconnects by itself after a dropped connection; what was recorded
    // meanwhile is fetched at the reconnection.
    const events = new EventSource(address);
    let opened = false;
    events.addEventListener("open", () => {
      if (opened) refresh();
      opened = true;
    });
    events.addEventListener("answers", refresh);
  }
  setInterval(refresh, FALLBACK_MS);
  // What waits (hidden, offline, in use, a failed fetch) is done once it may be.
  setInterval(() => {
    if (due) refresh();
  }, RETRY_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && due) refresh();
  });
  window.addEventListener("online", refresh);
})();
