// Progressive enhancement (WCAG 2.2.1 Timing Adjustable, 2.4.3 Focus Order, 2.4.11 Focus Not
// Obscured, 4.1.3 Status Messages): two minutes before an idle session ends, say so and offer to
// continue it. Without JavaScript the page states the end time, and the next request after it
// explains that the session ended.
//
// While the person is using the page the warning appears in a region fixed at the top of the
// viewport — seen wherever they are on a long page — without moving focus or scrolling, and is
// announced through a live region; "Jatka istuntoa" is one click away and Escape is its shortcut.
// Only when they have been idle for a while does it open as a real modal dialog (focus inside,
// Escape continues), and closing it returns focus to where it was.
//
// Before it declares the session ended, and whenever the tab comes back into view, the script asks
// the server (`data-status`, which never extends the session): use in another tab counts, so two
// tabs never disagree with the server. Once it has ended, the ended message and the way to sign in
// again replace everything else the script showed, on screen.
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
  var warning = null; // the fixed notice or the dialog
  var returnFocus = null;
  var over = false;

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
    endTimer = setTimeout(checkEnd, Math.max(0, expires - Date.now()));
  }

  function button(text, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button';
    b.textContent = text;
    b.setAttribute('aria-keyshortcuts', 'Escape');
    b.addEventListener('click', onClick);
    return b;
  }

  // A region fixed at the top of the viewport; focus moved under it is scrolled clear of it.
  function notice(labelId) {
    var n = document.createElement('div');
    n.className = 'session-notice';
    n.setAttribute('role', 'region');
    n.setAttribute('aria-labelledby', labelId);
    var inner = document.createElement('div');
    inner.className = 'session-notice-inner';
    n.appendChild(inner);
    return n;
  }

  function showNotice(n) {
    document.body.insertBefore(n, document.body.firstChild);
    document.documentElement.style.scrollPaddingTop = n.offsetHeight + 'px';
  }

  document.addEventListener('focusin', function (e) {
    if (!warning || warning.tagName === 'DIALOG' || warning.contains(e.target)) return;
    var covered = warning.getBoundingClientRect().bottom - e.target.getBoundingClientRect().top;
    if (covered > 0) window.scrollBy(0, -covered - 8);
  });

  function warn() {
    if (warning || over) return;
    returnFocus = document.activeElement;
    var idle = Date.now() - lastInput >= IDLE_MS;
    var text = document.createElement('p');
    text.id = 'session-warning-text';
    text.textContent = box.getAttribute('data-warning');
    var continueButton = button(box.getAttribute('data-continue'), keepAlive);
    if (idle && typeof HTMLDialogElement === 'function') {
      warning = document.createElement('dialog');
      warning.className = 'session-dialog';
      warning.setAttribute('aria-labelledby', 'session-warning-text');
      warning.appendChild(text);
      warning.appendChild(continueButton);
      // Escape closes the dialog and continues the session.
      warning.addEventListener('cancel', function (e) { e.preventDefault(); keepAlive(); });
      document.body.appendChild(warning);
      warning.showModal();
    } else {
      warning = notice('session-warning-text');
      warning.firstChild.appendChild(text);
      warning.firstChild.appendChild(continueButton);
      showNotice(warning);
      live.textContent = box.getAttribute('data-warning');
    }
  }

  // Escape continues the session from the fixed warning too.
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && warning && warning.tagName !== 'DIALOG' && !over) keepAlive();
  });

  function removeWarning() {
    if (!warning) return;
    if (warning.tagName === 'DIALOG' && warning.open) warning.close();
    warning.remove();
    warning = null;
    document.documentElement.style.scrollPaddingTop = '';
  }

  function closeWarning() {
    if (!warning) return;
    var hadFocus = warning.contains(document.activeElement) || document.activeElement === document.body;
    removeWarning();
    if (hadFocus && returnFocus && document.contains(returnFocus) && typeof returnFocus.focus === 'function') {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  // The server's answer: the session lasts until `data.expires` (the page's line follows it).
  function lasts(data) {
    expires = Number(data.expires) * 1000;
    var ends = box.querySelector('.session-ends');
    if (ends && data.ends) ends.textContent = ends.textContent.replace(/\d{1,2}\.\d{2}/, data.ends);
  }

  function keepAlive() {
    fetch(box.getAttribute('data-keepalive'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        lasts(data);
        closeWarning();
        live.textContent = box.getAttribute('data-continued');
        schedule();
      })
      .catch(ended);
  }

  // Asks the server when the session ends; `done(true)` if it still lasts beyond the warning time.
  function askServer(done) {
    fetch(box.getAttribute('data-status'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (!data.expires || Number(data.expires) * 1000 <= Date.now()) return done(false);
        lasts(data);
        done(true);
      })
      .catch(function () { done(false); });
  }

  // The page's end time has come: the session has ended only if the server says so (another tab
  // may have used it meanwhile). If the server cannot be reached, the page says it has ended: it
  // can no longer show anything new, and signing in again is the way on.
  function checkEnd() {
    if (over) return;
    askServer(function (alive) {
      if (!alive) return ended();
      if (expires - Date.now() > 120000) closeWarning();
      schedule();
    });
  }

  // Back in view after use elsewhere: follow the server's end time.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState !== 'visible' || over) return;
    askServer(function (alive) {
      if (!alive) return ended();
      if (expires - Date.now() > 120000) closeWarning();
      schedule();
    });
  });

  // The session is over: say so at the top of the viewport, alone, with the way to sign in again.
  function ended() {
    if (over) return;
    over = true;
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var hadFocus = (warning && warning.contains(document.activeElement)) || document.activeElement === document.body;
    removeWarning();
    box.classList.add('session-ended');
    var ends = box.querySelector('.session-ends');
    if (ends) ends.hidden = true;
    warning = notice('session-ended-text');
    var text = document.createElement('p');
    text.id = 'session-ended-text';
    text.textContent = box.getAttribute('data-ended');
    var link = document.createElement('a');
    link.className = 'button';
    link.href = box.getAttribute('data-sign-in');
    link.textContent = box.getAttribute('data-sign-in-text');
    warning.firstChild.appendChild(text);
    warning.firstChild.appendChild(link);
    showNotice(warning);
    live.textContent = box.getAttribute('data-ended');
    if (hadFocus) link.focus({ preventScroll: true });
  }

  schedule();
})();
