// The office pages work without this file; it only asks "are you sure?" before a form marked
// data-confirm is sent (revoking a kiosk, erasing data), and lets period pickers submit on change.
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-submit]") && field.form) {
    field.form.requestSubmit();
  }
});
