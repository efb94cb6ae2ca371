// Progressive enhancement (WCAG 2.2.1 Timing Adjustable): two minutes before an idle session ends,
// say so and offer to continue it. Without JavaScript the page states the end time, and the next
// request after it explains that the session ended.
(function () {
  'use strict';
  var box = document.getElementById('session-timeout');
  if (!box || !window.fetch) return;
  var expires = Number(box.getAttribute('data-expires')) * 1000;
  var timer = null;
  var warning = null;

  function schedule() {
    if (timer) clearTimeout(timer);
    var wait = expires - Date.now() - 120000;
    timer = setTimeout(warn, Math.max(0, wait));
  }

  function warn() {
    if (warning) return;
    warning = document.createElement('div');
    warning.className = 'notification-banner session-warning';
    warning.setAttribute('role', 'alertdialog');
    warning.setAttribute('aria-labelledby', 'session-warning-text');
    var text = document.createElement('p');
    text.id = 'session-warning-text';
    text.textContent = box.getAttribute('data-warning');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.textContent = box.getAttribute('data-continue');
    button.addEventListener('click', keepAlive);
    warning.appendChild(text);
    warning.appendChild(button);
    box.insertBefore(warning, box.firstChild);
    button.focus();
  }

  function keepAlive() {
    fetch(box.getAttribute('data-keepalive'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        expires = Number(data.expires) * 1000;
        var ends = box.querySelector('.session-ends');
        if (ends && data.ends) ends.textContent = ends.textContent.replace(/\d{1,2}\.\d{2}/, data.ends);
        if (warning) { warning.remove(); warning = null; }
        schedule();
      })
      .catch(function () { window.location.reload(); });
  }

  schedule();
})();
