// Progressive enhancement (WCAG 2.2.1 Timing Adjustable, 2.4.3 Focus Order, 4.1.3 Status Messages):
// two minutes before an idle session ends, say so and offer to continue it. Without JavaScript the
// page states the end time, and the next request after it explains that the session ended.
//
// The warning never moves focus or scrolls while the person is using the page: it appears in place
// and is announced through a live region. Only when they have been idle for a while does it open as
// a real modal dialog (focus inside, Escape continues), and closing it returns focus to where it was.
// Once the session has ended, it says so, with the way to sign in again.
(function () {
  'use strict';
  var box = document.getElementById('session-timeout');
  if (!box || !window.fetch) return;
  var expires = Number(box.getAttribute('data-expires')) * 1000;
  // No input for a minute: the person is probably away (`data-idle-ms` shortens it for tests).
  var IDLE_MS = Number(box.getAttribute('data-idle-ms')) || 60000;
  var lastInput = Date.now();
  var warnTimer = null;
  var endTimer = null;
  var warning = null; // the in-place banner or the dialog
  var returnFocus = null;

  // The live region exists from the start, so that screen readers announce what is put in it.
  var live = document.createElement('p');
  live.className = 'visually-hidden';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  box.appendChild(live);

  ['keydown', 'pointerdown', 'wheel', 'touchstart'].forEach(function (type) {
    document.addEventListener(type, function () { lastInput = Date.now(); }, { capture: true, passive: true });
  });

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, expires - Date.now() - 120000));
    endTimer = setTimeout(ended, Math.max(0, expires - Date.now()));
  }

  function button(text, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function content(node) {
    var text = document.createElement('p');
    text.id = 'session-warning-text';
    text.textContent = box.getAttribute('data-warning');
    node.appendChild(text);
    node.appendChild(button(box.getAttribute('data-continue'), keepAlive));
  }

  function warn() {
    if (warning) return;
    returnFocus = document.activeElement;
    var idle = Date.now() - lastInput >= IDLE_MS;
    if (idle && typeof HTMLDialogElement === 'function') {
      warning = document.createElement('dialog');
      warning.className = 'session-dialog';
      warning.setAttribute('aria-labelledby', 'session-warning-text');
      content(warning);
      // Escape closes the dialog and continues the session.
      warning.addEventListener('cancel', function (e) { e.preventDefault(); keepAlive(); });
      document.body.appendChild(warning);
      warning.showModal();
    } else {
      warning = document.createElement('div');
      warning.className = 'notification-banner session-warning';
      warning.setAttribute('role', 'region');
      warning.setAttribute('aria-labelledby', 'session-warning-text');
      content(warning);
      box.insertBefore(warning, box.firstChild);
      live.textContent = box.getAttribute('data-warning');
    }
  }

  // Escape continues the session from the in-place warning too.
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && warning && warning.tagName !== 'DIALOG' && !box.classList.contains('session-ended')) keepAlive();
  });

  function closeWarning() {
    if (!warning) return;
    var hadFocus = warning.contains(document.activeElement) || document.activeElement === document.body;
    if (warning.tagName === 'DIALOG' && warning.open) warning.close();
    warning.remove();
    warning = null;
    if (hadFocus && returnFocus && document.contains(returnFocus) && typeof returnFocus.focus === 'function') {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  function keepAlive() {
    fetch(box.getAttribute('data-keepalive'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        expires = Number(data.expires) * 1000;
        var ends = box.querySelector('.session-ends');
        if (ends && data.ends) ends.textContent = ends.textContent.replace(/\d{1,2}\.\d{2}/, data.ends);
        closeWarning();
        live.textContent = box.getAttribute('data-continued');
        schedule();
      })
      .catch(ended);
  }

  // The session is over: say so where the warning was, with the way to sign in again.
  function ended() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var wasDialog = warning && warning.tagName === 'DIALOG';
    var hadFocus = warning && warning.contains(document.activeElement);
    if (warning) {
      if (wasDialog && warning.open) warning.close();
      warning.remove();
    }
    box.classList.add('session-ended');
    warning = document.createElement('div');
    warning.className = 'notification-banner session-warning';
    warning.setAttribute('role', 'region');
    warning.setAttribute('aria-labelledby', 'session-ended-text');
    var text = document.createElement('p');
    text.id = 'session-ended-text';
    text.textContent = box.getAttribute('data-ended');
    var link = document.createElement('a');
    link.className = 'button';
    link.href = box.getAttribute('data-sign-in');
    link.textContent = box.getAttribute('data-sign-in-text');
    warning.appendChild(text);
    warning.appendChild(link);
    box.insertBefore(warning, box.firstChild);
    live.textContent = box.getAttribute('data-ended');
    if (hadFocus) link.focus({ preventScroll: true });
  }

  schedule();
})();
