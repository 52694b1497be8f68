// Starts GOV.UK Frontend's components. Loaded as a module file: the CSP allows no inline script.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
