/* The public portal's one behaviour, without inline script (Content-Security-Policy): a button
   marked data-copy="#id" copies that element's text (the tracking code) and says so. */
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const text = source.textContent.trim();
  const status = document.querySelector("[data-copy-status]");
  const done = () => {
    if (status) status.textContent = button.dataset.copied || "";
    button.dataset.done = "1";
  };
  const fallback = () => {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      document.execCommand("copy");
    } catch (error) {
      /* the text stays selected for the citizen to copy */
    }
    done();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});
