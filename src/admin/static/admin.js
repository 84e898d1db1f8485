// The console's only script besides htmx: a chosen CSV file is read into the textarea, so the import needs no upload step.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.fill) return;
  const file = input.files && input.files[0];
  const target = document.getElementById(input.dataset.fill);
  if (!file || !target) return;
  file.text().then((text) => {
    target.value = text;
  });
});

// Forms that undo something (remove a head, deactivate a branch) ask first.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
