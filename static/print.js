// Progressive enhancement: "Tulosta tai tallenna PDF-tiedostoksi" opens the print layout and the
// browser's print dialog at once. Without JavaScript the link opens the print layout, which tells
// how to print or save it with the browser's own command.
(function () {
  'use strict';
  var link = document.querySelector('a.print-action');
  if (link && window.print) {
    link.addEventListener('click', function () {
      try { window.sessionStorage.setItem('print-now', '1'); } catch (e) { /* printing by hand still works */ }
    });
  }
  var printNow = false;
  try { printNow = window.sessionStorage.getItem('print-now') === '1'; window.sessionStorage.removeItem('print-now'); } catch (e) { printNow = false; }
  if (printNow && document.querySelector('.print-instructions') && window.print) {
    window.addEventListener('load', function () { window.print(); });
  }
})();
