// Starts GOV.UK Frontend's components (the service navigation's menu, buttons, checkboxes,
// error summaries…). A module, so it runs once the page is parsed, after js-enabled.js has
// marked the body: initAll does nothing where `govuk-frontend-supported` is missing.
import { initAll } from './govuk-frontend.min.js';

initAll();
