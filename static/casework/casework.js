/* The few behaviours of casework's own pages, without inline handlers (the site's
   Content-Security-Policy allows none):
   * a link marked data-print prints the page;
   * a form's error summary (data-focus-first) takes the focus when the page shows it;
   * a period in working days (an input with data-period-start, the id of the start date)
     shows the due date it gives, asked of the calendar API as it is typed. */
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-print]");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});

function cwFocusErrors() {
  const summary = document.querySelector("[data-focus-first]");
  if (summary && !summary.dataset.focused) {
    summary.dataset.focused = "1";
    summary.focus();
  }
}

const CW_CALENDAR_API = "/api/v1/calendar/add-working-days";

function cwToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function cwShowDue(input) {
  const output = document.querySelector(`[data-due-for="${input.id}"]`);
  if (!output) return;
  const start = document.getElementById(input.dataset.periodStart);
  const startDay = (start && start.value) || cwToday();
  const days = input.value.trim();
  if (!/^\d+$/.test(days) || Number(days) < 1) {
    output.textContent = "";
    return;
  }
  const query = new URLSearchParams({ start: startDay, days });
  const asked = `${startDay}/${days}`;
  input.dataset.asked = asked;
  fetch(`${CW_CALENDAR_API}?${query}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      if (input.dataset.asked !== asked) return; // a later keystroke asked again
      if (!body || !body.due) {
        output.textContent = output.dataset.failed || "";
        return;
      }
      const note = body.provisional ? `（${output.dataset.provisional || ""}）` : "";
      output.textContent = `${output.dataset.label || ""}${body.due}${note}`;
      output.dataset.due = body.due;
    })
    .catch(() => {
      output.textContent = output.dataset.failed || "";
    });
}

function cwPeriods() {
  document.querySelectorAll("input[data-period-start]").forEach((input) => {
    if (input.dataset.periodBound) return;
    input.dataset.periodBound = "1";
    const start = document.getElementById(input.dataset.periodStart);
    input.addEventListener("input", () => cwShowDue(input));
    if (start) start.addEventListener("change", () => cwShowDue(input));
    cwShowDue(input);
  });
}

function cwReady() {
  cwFocusErrors();
  cwPeriods();
}

document.addEventListener("DOMContentLoaded", cwReady);
document.addEventListener("turbo:load", cwReady);
document.addEventListener("turbo:render", cwReady);
