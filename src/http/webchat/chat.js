// The web chat page: renders the transcript and posts what the visitor types or taps. Messages typed while a reply
// is pending wait in a queue and go in order (none is dropped); replies that come later (a branch head's decision,
// a card) are fetched every few seconds, so they appear without a reload.
const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const errorBox = document.getElementById("error");
let lastOutboxId = 0;
const queue = [];
let sending = false;
const shown = new Set();
const pollEveryMs = 4000;

function bubble(from, text) {
  const element = document.createElement("div");
  element.className = `bubble ${from}`;
  element.textContent = text;
  log.appendChild(element);
}

function render(entry) {
  if (entry.id) {
    if (shown.has(entry.id)) return;
    shown.add(entry.id);
  }
  bubble(entry.from, entry.text);
  if (entry.from === "bot" && entry.buttons && entry.buttons.length > 0) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const button of entry.buttons) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", () => {
        element.classList.add("chosen");
        if (button.payload.startsWith("lang:")) showLanguage(button.payload.slice(5));
        send({ payload: button.payload, title: button.title }, button.title);
      });
      row.appendChild(element);
    }
    log.appendChild(row);
  }
  log.scrollTop = log.scrollHeight;
}

function disableOldButtons() {
  for (const element of log.querySelectorAll(".buttons button")) element.disabled = true;
}

function clientId() {
  const bytes = new Uint8Array(12);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function showReplies(result) {
  // Only the newest message's buttons stay active: older ones answered questions that have moved on.
  if (result.entries.some((entry) => !entry.id || !shown.has(entry.id))) disableOldButtons();
  result.entries.forEach(render);
  lastOutboxId = Math.max(lastOutboxId, result.lastOutboxId);
}

/** Puts a message in the queue (shown at once) and sends the queue in order. */
function send(body, text) {
  disableOldButtons();
  if (text) bubble("user", text);
  // The clientId is made once: a retried POST of the same message is recognised and never handled twice.
  queue.push({ ...body, clientId: clientId() });
  document.body.dataset.state = "busy";
  if (!sending) void flush();
}

async function post(request) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const response = await fetch("/chat/api/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...request, after: lastOutboxId }),
      });
      if (response.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
        continue;
      }
      if (!response.ok) throw new Error(String(response.status));
      return await response.json();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
    }
  }
  return null;
}

async function flush() {
  sending = true;
  errorBox.hidden = true;
  while (queue.length > 0) {
    const result = await post(queue[0]);
    if (!result) {
      // Kept in the queue: the next message or the next poll tries again, in the same order.
      errorBox.hidden = false;
      break;
    }
    queue.shift();
    showReplies(result);
    // Accepted but not answered yet (202): look again soon rather than at the next regular poll.
    if (result.pending) setTimeout(poll, 1000, true);
  }
  sending = false;
  if (queue.length === 0) document.body.dataset.state = "idle";
}

async function poll(once = false) {
  if (!sending && document.visibilityState === "visible") {
    if (queue.length > 0) await flush();
    else {
      try {
        const response = await fetch(`/chat/api/updates?after=${lastOutboxId}`);
        if (response.ok) {
          const result = await response.json();
          if (result.entries.length > 0) showReplies(result);
        }
      } catch {
        // offline for a moment: the next poll tries again
      }
    }
  }
  if (!once) setTimeout(poll, pollEveryMs);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send({ text }, text);
});

async function start() {
  const response = await fetch("/chat/api/history");
  const history = await response.json();
  history.entries.forEach(render);
  lastOutboxId = history.lastOutboxId;
  disableOldButtons();
  const buttons = log.querySelectorAll(".buttons");
  const last = buttons[buttons.length - 1];
  if (last && last === log.lastElementChild) for (const element of last.querySelectorAll("button")) element.disabled = false;
  if (history.entries.length === 0) send({ payload: "cmd:register" }, null);
  else document.body.dataset.state = "idle";
  // Only where there is a real keyboard: on a phone the on-screen keyboard would cover the first buttons.
  if (window.matchMedia("(pointer: fine)").matches) input.focus();
  setTimeout(poll, pollEveryMs);
}

// The page's own words, in the language the visitor chose (kept in this browser); the header button switches both
// the page and the conversation (the same as choosing a language in the chat).
const words = JSON.parse(document.body.dataset.words || "{}");
function showLanguage(locale) {
  const chosen = words[locale] || words.vi;
  if (!chosen) return;
  document.documentElement.lang = locale;
  for (const element of document.querySelectorAll("[data-word]")) element.textContent = chosen[element.dataset.word] || element.textContent;
  input.placeholder = chosen.placeholder;
  input.setAttribute("aria-label", chosen.placeholder);
  document.title = chosen.title;
  window.localStorage.setItem("lca-lang", locale);
  // The server renders the next page load in this language.
  document.cookie = `lca-lang=${locale === "en" ? "en" : "vi"}; path=/; max-age=31536000; SameSite=Lax`;
}
const languageButton = document.getElementById("language");
languageButton.addEventListener("click", () => {
  const next = document.documentElement.lang === "en" ? "vi" : "en";
  showLanguage(next);
  send({ payload: `lang:${next}` }, null);
});
showLanguage(window.localStorage.getItem("lca-lang") || "vi");

start();
