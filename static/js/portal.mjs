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
