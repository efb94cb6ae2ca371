// Sign-out, second step: sends the browser on to the identification service's logout (the form on
// the page, which works without this script too).
'use strict';
(function () {
  var form = document.getElementById('provider-logout');
  if (form) form.submit();
})();
