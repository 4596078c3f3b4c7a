// Answering with no network (issue 15), for the forms to answer (`/answer/{secret}`, a
// questionnaire; `/evaluations/{id}/answer`, a signed-in answer) and the "this device" page.
// A plain script, loaded by those pages only, so the app's bundle does not grow; without
// JavaScript the forms still post as they are, online.
//
// - What is typed in a form is kept on this device (localStorage, per form address and per
//   account: `pd-answer-draft:<account or "anonymous">:<path>`) as it is typed, and put back
//   when the form opens again, reloaded or offline, until the form is sent (`?sent=1`),
//   queued by the service worker (`?queued=1`, the outbox holds it then) or refused by the
//   server (`?refused=…`: the server keeps it as the draft and shows it; not for `busy` and
//   `account`, where the server kept nothing and this device's copy is all there is).
// - The page asks the service worker to keep it (message "keep-page"): a form opened for the
//   first time, before the worker controlled the page, opens offline later too.
// - Every element `[data-unsent-answers]` lists the outbox (public/sw.js): what is not sent
//   yet, and what the server refused and kept as a draft ("needs attention", with a link to the
//   form and a way to remove it from the list). The list follows the worker's changes.
// - The page asks the worker to send the outbox when it opens and when the browser is back
//   online.
(() => {
  "use strict";
  const params = new URLSearchParams(location.search);
  const worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;

  function tellWorker(message) {
    if (!worker) return;
    worker.ready.then((registration) => registration.active && registration.active.postMessage(message)).catch(() => {});
  }

  // ---- The form on this page, if any ----
  const form = document.querySelector("form.questionnaire");
  if (form) {
    const account = form.elements.namedItem("account");
    const draftKey = `pd-answer-draft:${account ? account.value : "anonymous"}:${location.pathname}`;
    const heading = document.querySelector("h1");
    try {
      if (heading) localStorage.setItem(`pd-answer-title:${location.pathname}`, heading.textContent.trim());
    } catch (_full) {}

    const answerFields = () => [...form.elements].filter((field) => field.name && field.name.startsWith("q-"));
    const save = () => {
      const pairs = [];
      for (const field of answerFields()) {
        if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
        pairs.push([field.name, field.value]);
      }
      try {
        localStorage.setItem(draftKey, JSON.stringify({ at: new Date().toISOString(), pairs }));
      } catch (_full) {
        note("This device's storage is full: what you type is not kept if the page closes. Send your answers, or free some space.", "error");
      }
    };
    const restore = (draft) => {
      for (const field of answerFields()) {
        const values = draft.pairs.filter(([name]) => name === field.name).map(([, value]) => value);
        if (field.type === "radio" || field.type === "checkbox") field.checked = values.includes(field.value);
        else if (values.length) field.value = values[0];
      }
    };
    const kept = (() => {
      try {
        return JSON.parse(localStorage.getItem(draftKey) || "null");
      } catch (_unreadable) {
        return null;
      }
    })();
    const forget = () => localStorage.removeItem(draftKey);

    // Refused as too busy, or as written by another account, the server kept nothing: what
    // is on this device stays, and comes back below.
    const refused = params.get("refused");
    if (params.has("sent") || (refused && refused !== "busy" && refused !== "account")) {
      forget();
      // Sent online after being refused from the outbox: that entry is settled.
      if (params.has("sent")) tellWorker({ type: "answered", path: location.pathname });
    } else if (params.has("queued")) {
      queuedHere().then((queued) => {
        if (!queued) return;
        forget();
        form.hidden = true;
        note("No network: your answers are saved on this device and will be sent when the network returns, even if you close this page. Keep this browser's data until then.", "saved");
      });
    } else if (kept && Array.isArray(kept.pairs) && kept.pairs.length) {
      restore(kept);
      note("What you typed on this device is back: it is not sent yet.", "note");
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    // Kept by the worker under the form's plain address (in its language).
    const lang = params.get("lang");
    tellWorker({ type: "keep-page", path: lang ? `${location.pathname}?lang=${encodeURIComponent(lang)}` : location.pathname });
  }

  /// A status line above the form.
  function note(text, kind) {
    const line = document.createElement("p");
    line.className = kind;
    line.setAttribute("role", "status");
    line.textContent = text;
    const before = form || document.querySelector("[data-unsent-answers]");
    if (before) before.before(line);
  }

  /// The outbox's entries, oldest first, as the worker reads them ([] with no worker: nothing
  /// can have been kept then).
  async function outbox() {
    if (!worker) return [];
    const registration = await worker.ready;
    if (!registration.active) return [];
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(Array.isArray(event.data) ? event.data : []);
      registration.active.postMessage({ type: "list-answers" }, [channel.port2]);
    });
  }

  async function queuedHere() {
    return (await outbox()).some((entry) => entry.path === location.pathname && entry.state === "queued");
  }

  // ---- The list of answers not sent yet ----
  const WHY = {
    "signed-out": "sign in again (as the account that wrote it) to send it",
    account: "it was written signed in as another account: sign in as that account to send it",
    busy: "the server is busy: it is sent again shortly",
  };
  const ATTENTION = {
    answers: "not accepted: some answers need attention",
    unreadable: "not accepted: some answers could not be read",
    early: "not accepted yet: the evaluation is not open yet",
    version: "not accepted: the questions changed since",
    gone: "not accepted: this evaluation no longer exists",
  };

  function title(path) {
    try {
      return localStorage.getItem(`pd-answer-title:${path}`) || "A form";
    } catch (_unreadable) {
      return "A form";
    }
  }

  async function render(list) {
    const entries = await outbox();
    const items = list.querySelector("ul");
    const summary = list.querySelector("[data-unsent-summary]");
    items.replaceChildren();
    list.hidden = entries.length === 0 && !list.hasAttribute("data-always");
    const waiting = entries.filter((entry) => entry.state === "queued").length;
    const refused = entries.length - waiting;
    const said = [];
    if (waiting) said.push(waiting === 1 ? "1 answer is not sent yet." : `${waiting} answers are not sent yet.`);
    if (refused) said.push(refused === 1 ? "1 answer was not accepted: open it to see why." : `${refused} answers were not accepted: open them to see why.`);
    summary.textContent = said.length ? said.join(" ") : "No answer written on this device waits to be sent.";
    for (const entry of entries) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.link || entry.path;
      link.textContent = title(entry.path);
      const when = new Date(entry.at);
      const saved = isNaN(when) ? "" : ` saved ${when.toLocaleString()}: `;
      const state = entry.state === "attention" ? ATTENTION[entry.why] || "not accepted: open the form" : WHY[entry.why] || "sent when the network returns";
      item.append(link, document.createTextNode(`,${saved}${state}.`));
      if (entry.state === "attention") {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "Remove from this list";
        remove.addEventListener("click", () => {
          if (confirm("Remove this answer from this device's list? The form keeps what the server was given.")) tellWorker({ type: "forget-answer", id: entry.id });
        });
        item.append(" ", remove);
      }
      items.append(item);
    }
    const send = list.querySelector("[data-send-answers]");
    if (send) send.hidden = waiting === 0;
  }

  const lists = [...document.querySelectorAll("[data-unsent-answers]")];
  const renderAll = () => lists.forEach((list) => render(list).catch(() => {}));
  for (const list of lists) {
    const send = list.querySelector("[data-send-answers]");
    if (send) {
      send.addEventListener("click", () => {
        list.querySelector("[data-unsent-summary]").textContent = navigator.onLine ? "Sending…" : "Still no network: the answers are sent when it returns.";
        tellWorker({ type: "send-answers" });
      });
    }
  }
  renderAll();
  if (worker) {
    worker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "answers-changed") renderAll();
    });
  }
  tellWorker({ type: "send-answers" });
  window.addEventListener("online", () => tellWorker({ type: "send-answers" }));
})();
