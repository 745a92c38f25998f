// The care worker's phone page, offline first. Each check-in or check-out is kept on the phone
// (localStorage) with an idempotency key of its own before it is sent, and sent again until
// the server has it: a retry carries the same key, so the server stores the event once. The
// page shows what the phone holds at once, whether or not it is online. Each event is kept with
// the care worker who recorded it and sent only while they are signed in, so that on a shared
// phone nothing is sent, or lost, under another care worker's name.

const OUTBOX = 'homeward-outbox';
// Events already sent today: a copy of the page kept for use offline may be older than they
// are, so they are shown on it again.
const SENT = 'homeward-sent';
// Events the server refused today, with why, so that the card still says so after a reload.
const REFUSED = 'homeward-refused';
const RETRY_MS = 20000;

// Everything the phone holds, whoever recorded it.
function held() {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX) || '[]');
  } catch {
    return [];
  }
}

// The care worker signed in on this page.
function currentWorker() {
  const field = document.querySelector('form.homeward-call input[name="worker_id"]');
  return field ? field.value : '';
}

// Whether an entry is the signed-in care worker's (entries kept before workers were recorded
// are taken as theirs).
function ours(entry) {
  return !entry.worker || entry.worker === currentWorker();
}

// What the phone holds for the signed-in care worker, oldest first.
function pending() {
  return held().filter(ours);
}

// Replaces the signed-in care worker's entries with `items`, keeping everyone else's.
function keep(items) {
  const others = held().filter((entry) => !ours(entry));
  localStorage.setItem(OUTBOX, JSON.stringify([...others, ...items]));
}

function londonDay(iso) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(iso));
}

// Today's sent events, without anything older, or anything the phone can no longer tell apart.
function sentToday() {
  let items;
  try {
    items = JSON.parse(localStorage.getItem(SENT) || '[]');
  } catch {
    items = [];
  }
  const today = londonDay(new Date().toISOString());
  return items.filter((item) => londonDay(item.at) === today);
}

function refusedToday() {
  let items;
  try {
    items = JSON.parse(localStorage.getItem(REFUSED) || '[]');
  } catch {
    items = [];
  }
  const today = londonDay(new Date().toISOString());
  return items.filter((item) => londonDay(item.at) === today && ours(item));
}

function rememberRefused(entry, message) {
  const { key, worker, visit, kind, at } = entry;
  const others = refusedToday().filter((item) => item.key !== key);
  localStorage.setItem(REFUSED, JSON.stringify([...others, { key, worker, visit, kind, at, message }]));
}

function remember(entry) {
  const { key, visit, kind, at } = entry;
  localStorage.setItem(SENT, JSON.stringify([...sentToday(), { key, visit, kind, at }]));
}

// A random key for one event (a UUID where the browser makes them).
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// Where the phone is, when it can tell within a few seconds; otherwise nothing.
function whereAmI() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve(position.coords),
      () => resolve(null),
      { timeout: 5000, maximumAge: 60000 },
    );
  });
}

function clock(iso) {
  const at = new Date(iso);
  return at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
}

// Shows an event on its visit's card: the form that comes next, and what has been done.
function show(entry, sent) {
  const card = document.getElementById(`visit-${entry.visit}`);
  if (!card) return;
  const note = sent ? '' : ' (saved on this phone, not sent yet)';
  const status = card.querySelector('[data-status]');
  const checkIn = card.querySelector('form[data-kind="check_in"]');
  const checkOut = card.querySelector('form[data-kind="check_out"]');
  if (entry.kind === 'check_in') {
    card.dataset.checkedIn = clock(entry.at);
    // A visit already checked out says so already.
    if (card.dataset.state === 'done') return;
    card.dataset.state = 'in';
    checkIn.hidden = true;
    checkOut.hidden = false;
    status.textContent = `Checked in at ${card.dataset.checkedIn}${note}`;
  } else {
    checkIn.hidden = true;
    checkOut.hidden = true;
    card.dataset.state = 'done';
    const arrived = card.dataset.checkedIn ? `Checked in at ${card.dataset.checkedIn}, checked out` : 'Checked out';
    status.textContent = `${arrived} at ${clock(entry.at)}${note}`;
  }
}

function tell(message, alert) {
  const box = document.getElementById('outbox');
  box.textContent = message;
  box.hidden = message === '';
  box.setAttribute('role', alert ? 'alert' : 'status');
}

function count() {
  const waiting = pending().length;
  const others = held().length - waiting;
  const messages = [];
  if (waiting > 0) {
    const what = waiting === 1 ? 'check-in or check-out is' : 'check-ins and check-outs are';
    messages.push(`${waiting} ${what} saved on this phone and will be sent when it is online.`);
  }
  if (others > 0) {
    const what = others === 1 ? 'check-in or check-out' : 'check-ins and check-outs';
    messages.push(`This phone also keeps ${others} ${what} of another care worker, sent when they sign in.`);
  }
  tell(messages.join(' '), false);
}

// Shows on its card that the server refused an event, and why: the care worker tells their
// coordinator, who corrects the visit's times.
function showRefused(entry, message) {
  const card = document.getElementById(`visit-${entry.visit}`);
  if (!card) return;
  const what = entry.kind === 'check_in' ? 'Check-in' : 'Check-out';
  card.querySelector('[data-status]').textContent =
    `${what} at ${clock(entry.at)} not recorded: ${message}. Tell your coordinator.`;
}

// The session's anti-forgery token as this page has it (it changes when the worker signs in
// again, and events kept from before must carry the new one).
function currentToken() {
  const field = document.querySelector('form.homeward-call input[name="csrf_token"]');
  return field ? field.value : '';
}

let sending = false;

// Sends what the phone holds, oldest first, until the connection or the server says stop.
async function send() {
  if (sending) return;
  sending = true;
  try {
    for (;;) {
      const items = pending();
      if (items.length === 0) break;
      const entry = items[0];
      const body = new URLSearchParams(entry.fields);
      const token = currentToken();
      if (token) body.set('csrf_token', token);
      let response;
      try {
        response = await fetch('/today/events', {
          method: 'POST',
          headers: { Accept: 'application/json' },
          body,
          credentials: 'same-origin',
        });
      } catch {
        break; // offline: try again later
      }
      // The answer is read whole even when its status says all: answers are never cached, so
      // nothing else reads them, and until one is read its connection is not free for the next.
      const answer = await response.json().catch(() => null);
      // Signed out (401), the session's token no longer matching (403), or an answer that is
      // not the server's JSON (a sign-in page it was sent to): nothing was recorded, so the
      // event stays on the phone until the care worker signs in again.
      if (response.status === 401 || response.status === 403 || response.redirected || answer === null) {
        // The session has ended: the copy of the page kept for use offline goes with it.
        if (response.status === 401) forgetTheDay();
        tell('Sign in again to send what this phone has kept.', true);
        sending = false;
        return;
      }
      if (response.status >= 500) break;
      keep(pending().filter((item) => item.key !== entry.key));
      if (response.ok) {
        remember(entry);
        show(entry, true);
      } else {
        const message = answer.error ? answer.error.message : 'the server refused it';
        rememberRefused(entry, message);
        showRefused(entry, message);
        tell(`A ${entry.kind === 'check_in' ? 'check-in' : 'check-out'} could not be recorded: ${message}`, true);
        sending = false;
        return;
      }
    }
  } finally {
    sending = false;
  }
  count();
}

async function record(form) {
  const data = new FormData(form);
  // The session's anti-forgery token is never kept on the phone: each send takes the page's own.
  data.delete('csrf_token');
  const key = newKey();
  data.set('key', key);
  data.set('at', new Date().toISOString());
  const where = await whereAmI();
  if (where) {
    data.set('latitude', where.latitude.toFixed(6));
    data.set('longitude', where.longitude.toFixed(6));
  }
  const entry = {
    key,
    worker: data.get('worker_id'),
    visit: data.get('visit_id'),
    kind: data.get('kind'),
    at: data.get('at'),
    fields: Array.from(data.entries()),
  };
  keep([...pending(), entry]);
  show(entry, false);
  count();
  send();
}

for (const form of document.querySelectorAll('form.homeward-call')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    record(form);
  });
}

// What the phone has sent today, and what it still holds, show on the page too (it may be the
// copy kept for use offline, older than both).
for (const entry of sentToday()) show(entry, true);
for (const entry of refusedToday()) showRefused(entry, entry.message);
for (const entry of pending()) show(entry, false);
count();
send();
window.addEventListener('online', send);
setInterval(send, RETRY_MS);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/phone-sw.js', { scope: '/today' }).catch(() => {});
}

// The session ending takes today's visits off the phone: the copy of the page kept for use
// offline and the lists of what was sent and refused (what is not sent yet stays, to be sent at
// the care worker's next sign-in).
function forgetTheDay() {
  if ('caches' in window) caches.delete('homeward-phone');
  localStorage.removeItem(SENT);
  localStorage.removeItem(REFUSED);
}

// Signing out takes everything off the phone: the server's answer tells the browser to forget
// this site's cache and storage (Clear-Site-Data), and this does the same for a browser that
// does not heed it. That would take check-ins and check-outs not sent yet too — this care
// worker's, or another's who used the phone — so the page tries once more to send this care
// worker's first and, if any are still here, says so and signs out only when asked again.
function forgetEverything() {
  forgetTheDay();
  localStorage.removeItem(OUTBOX);
}

const signOut = document.querySelector('form[action="/sign-out"]');
let warnedOfLoss = false;
if (signOut) {
  signOut.addEventListener('submit', async (event) => {
    if (warnedOfLoss || held().length === 0) {
      forgetEverything();
      return;
    }
    event.preventDefault();
    await send();
    const waiting = held().length;
    if (waiting === 0) {
      forgetEverything();
      signOut.submit();
      return;
    }
    warnedOfLoss = true;
    const what = waiting === 1 ? 'check-in or check-out has' : 'check-ins and check-outs have';
    tell(`${waiting} ${what} not been sent yet. Signing out deletes them from this phone: go online and wait for them to be sent, or select Sign out again to sign out anyway.`, true);
  });
}
