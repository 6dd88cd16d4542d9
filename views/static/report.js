// The report's print button: a static script, since the Content-Security-Policy refuses inline handlers.
for (const button of document.querySelectorAll('[data-report-print]')) {
  button.addEventListener('click', () => window.print());
}
