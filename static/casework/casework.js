/* The few behaviours of casework's own pages, without inline handlers (the site's
   Content-Security-Policy allows none): a link marked data-print prints the page. */
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-print]");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});
