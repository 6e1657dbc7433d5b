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
// A phone's photos run to several megabytes, more than one request may carry: a form marked
// data-photos="<bytes>" whose chosen photos add up to more is sent with those photos made smaller
// first (at most 1600 px, JPEG). The server re-encodes every photo anyway and strips what the
// camera wrote (place, phone); this only keeps the upload small. Without it the server refuses
// the oversized request, and nothing is stored half.
const PHOTO_EDGE = 1600;

function shrink(file) {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => {
      const scale = Math.min(1, PHOTO_EDGE / Math.max(image.naturalWidth, image.naturalHeight));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(image.naturalWidth * scale);
      canvas.height = Math.round(image.naturalHeight * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(image.src);
      canvas.toBlob((blob) => resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg",
        { type: "image/jpeg" }) : file), "image/jpeg", 0.85);
    };
    image.onerror = () => resolve(file);
    image.src = URL.createObjectURL(file);
  });
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  const limit = Number(form.getAttribute("data-photos"));
  if (!limit || form.dataset.shrunk || typeof DataTransfer === "undefined") {
    return;
  }
  const inputs = [...form.querySelectorAll("input[type=file]")];
  const total = inputs.reduce((sum, input) => sum + [...input.files].reduce((s, f) => s + f.size, 0), 0);
  if (total <= limit) {
    return;
  }
  event.preventDefault();
  for (const input of inputs) {
    const files = new DataTransfer();
    for (const file of input.files) {
      files.items.add(file.size > 600 * 1024 ? await shrink(file) : file);
    }
    input.files = files.files;
  }
  form.dataset.shrunk = "1";
  form.requestSubmit();
});
