// Tells GOV.UK Frontend's styles that scripts run on this page, before the rest of the page is
// drawn: `js-enabled` for every browser running this, and `govuk-frontend-supported` for those
// that run ES modules, which govuk-init.js needs and checks before starting any component.
// A plain (not module) script, loaded as the first thing in <body>, so that it runs at once:
// the content security policy allows no inline script, which is where GOV.UK's template has it.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported');
}
