// The web chat page: renders the transcript and posts what the visitor types or taps.
const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const errorBox = document.getElementById("error");
let lastOutboxId = 0;
let busy = false;

function bubble(from, text) {
  const element = document.createElement("div");
  element.className = `bubble ${from}`;
  element.textContent = text;
  log.appendChild(element);
}

function render(entry) {
  bubble(entry.from, entry.text);
  if (entry.from === "bot" && entry.buttons && entry.buttons.length > 0) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const button of entry.buttons) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", () => send({ payload: button.payload, title: button.title }, button.title));
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

async function send(body, shown) {
  if (busy) return;
  busy = true;
  errorBox.hidden = true;
  disableOldButtons();
  if (shown) bubble("user", shown);
  const request = { ...body, clientId: clientId(), after: lastOutboxId };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch("/chat/api/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
      });
      if (!response.ok) throw new Error(String(response.status));
      const result = await response.json();
      result.entries.forEach(render);
      lastOutboxId = result.lastOutboxId;
      busy = false;
      document.body.dataset.state = "idle";
      return;
    } catch {
      // The same clientId is sent again, so a retry can never be handled twice.
    }
  }
  errorBox.hidden = false;
  busy = false;
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
  if (history.entries.length === 0) await send({ payload: "cmd:register" }, null);
  document.body.dataset.state = "idle";
  input.focus();
}

start();
