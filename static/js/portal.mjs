// Starts GOV.UK Frontend's components. Loaded as a module, so browsers that
// cannot run it get the no-JavaScript version of every component.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// "Print your plan": shown only where JavaScript runs, since it needs it.
for (const button of document.querySelectorAll("[data-portal-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// The file upload's button shows "No file chosen" beside "Choose file" in separate
// boxes, but its words run together for anything that reads its text without the
// styles ("chosenChoose"): a space between them reads as it looks.
for (const status of document.querySelectorAll(".govuk-file-upload-button__status")) {
  status.after(" ");
}

// A part of a page that follows something as it happens (today's visits): where
// JavaScript runs it brings itself up to date every data-portal-refresh seconds, as a
// reload would, while the page is in sight. The request says it is such a refresh, so
// that it keeps no one signed in who has left the page open. When what it shows has
// changed (its data-portal-version), the words of the element data-portal-news names
// say so to screen readers.
for (const part of document.querySelectorAll("[data-portal-refresh]")) {
  const news = document.getElementById(part.dataset.portalNews);
  setInterval(async () => {
    if (document.hidden) {
      return;
    }
    try {
      const answer = await fetch(window.location.href, {
        headers: { "X-Portal-Refresh": "1" }, redirect: "error", cache: "no-store",
      });
      const fresh = answer.ok && new DOMParser()
        .parseFromString(await answer.text(), "text/html").getElementById(part.id);
      if (!fresh) {
        return;
      }
      const changed = fresh.dataset.portalVersion !== part.dataset.portalVersion;
      part.replaceChildren(...fresh.childNodes);
      part.dataset.portalVersion = fresh.dataset.portalVersion;
      if (changed && news) {
        news.textContent = news.dataset.changed;
      }
    } catch {
      // Offline, or signed out: the page stays as it was until it is reloaded.
    }
  }, Number(part.dataset.portalRefresh) * 1000);
}

// A long list of councils: where JavaScript runs, a box to type into that finds a
// council by its name in either language, accents or none ("Ynys Mon" finds "Ynys
// Môn"), built with GOV.UK's accessible autocomplete on the select it replaces. Its
// words come from the select, in the page's language. Last in this file: it waits
// for the autocomplete's code to arrive.
const longLists = document.querySelectorAll("select[data-portal-autocomplete]");
if (longLists.length) {
  const { default: accessibleAutocomplete } = await import("./accessible-autocomplete.mjs");
  for (const select of longLists) {
    offerAsYouType(accessibleAutocomplete, select);
  }
}

function offerAsYouType(accessibleAutocomplete, select) {
  const plain = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const options = [...select.options].filter((option) => option.value);
  const words = select.dataset;
  const box = ((id) => () => document.getElementById(id))(select.id);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showAllValues: true,
    source: (query, found) => {
      const wanted = plain(query.trim());
      found(options
        .filter((option) => plain(`${option.text} ${option.dataset.otherName}`).includes(wanted))
        .map((option) => option.text));
    },
    // What is chosen is what is sent. Leaving the box confirms what it holds: a
    // council's name sends that council; anything else sends none, so the page asks
    // again rather than sending a council chosen before.
    onConfirm: (chosen) => {
      const option = options.find((o) => o.text === (chosen ?? box()?.value));
      select.value = option ? option.value : "";
    },
    tNoResults: () => words.noResults,
    tStatusQueryTooShort: (length) => fill(words.queryTooShort, { length }),
    tStatusNoResults: () => words.noResults,
    tStatusSelectedOption: (option, count, index) =>
      fill(words.highlighted, { option, position: index + 1, count }),
    tStatusResults: (count, highlighted) =>
      `${count === 1 ? words.oneResult : fill(words.results, { count })} ${highlighted}`,
    tAssistiveHint: () => words.hint,
  });
}
