// Starts GOV.UK Frontend's components. Loaded as a module, so browsers that
// cannot run it get the no-JavaScript version of every component.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// "Print your plan": shown only where JavaScript runs, since it needs it.
for (const button of document.querySelectorAll("[data-portal-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
