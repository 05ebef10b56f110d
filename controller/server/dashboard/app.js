// The dashboard: hash routes (#/ and #/Kind/name), live updates over Server-Sent Events with a
// polling fallback, and the one write action, "Sync now".
import { $, refreshTimes, setText } from './dom.js';
import {
  renderBanner,
  renderCounts,
  renderEvents,
  renderResource,
  renderResourceRows,
  renderSource,
} from './views.js';

const POLL_MS = 3000;
const TOKEN_KEY = 'ecs-gitops.apiToken';
const NAME_KEY = 'ecs-gitops.answerAs';

const state = {
  snapshot: null,
  events: [],
  route: { view: 'overview' },
  detail: null,
  detailKey: null,
};

// ---- routing --------------------------------------------------------------------------------

// `#/Kind/name`, or `#/targets/<target>/Kind/name` when the controller runs several targets (the
// same Kind/name may exist in each). `id` tells routes apart; `key` is the resource's own.
function parseRoute() {
  const targeted = /^#\/targets\/([^/]+)\/([A-Za-z]+)\/(.+)$/.exec(location.hash);
  if (targeted) {
    const target = decodeURIComponent(targeted[1]);
    const key = `${targeted[2]}/${decodeURIComponent(targeted[3])}`;
    return { view: 'resource', key, target, id: `${target}/${key}` };
  }
  const match = /^#\/([A-Za-z]+)\/(.+)$/.exec(location.hash);
  if (!match) return { view: 'overview' };
  const key = `${match[1]}/${decodeURIComponent(match[2])}`;
  return { view: 'resource', key, id: key };
}

function routedResource(resources) {
  const { key, target } = state.route;
  return resources.find((r) => r.key === key && (target === undefined || r.target === target));
}

function onRouteChange() {
  state.route = parseRoute();
  const onResource = state.route.view === 'resource';
  $('view-overview').hidden = onResource;
  $('view-resource').hidden = !onResource;
  if (onResource) {
    state.detail = state.detailKey === state.route.id ? state.detail : null;
    loadDetail();
  }
  render();
  // Move focus to the new view's heading so keyboard and screen-reader users land in it.
  $(onResource ? 'resource-heading' : 'source-heading').focus({ preventScroll: false });
  document.title = onResource ? `${state.route.id} · ecs-gitops` : 'ecs-gitops';
}

// ---- rendering ------------------------------------------------------------------------------

function render() {
  const snapshot = state.snapshot;
  if (!snapshot) return;
  setText(document.querySelector('[data-testid="instance"]'), snapshot.overall.instance);
  renderBanner(snapshot.overall);
  if (state.route.view === 'overview') {
    renderSource(snapshot.overall);
    renderCounts(snapshot.overall, snapshot.resources);
    renderResourceRows(snapshot.resources, snapshot.targets ?? []);
    renderEvents($('overview-events'), state.events, true);
  } else {
    const { id } = state.route;
    const resource = routedResource(snapshot.resources) ?? state.detail?.resource;
    renderResource(id, resource, state.detailKey === id ? state.detail : null);
  }
  refreshTimes();
}

/** Tells screen-reader users what changed (sync or health of a resource) without stealing focus. */
function announceChanges(previous, next) {
  if (!previous) return;
  const before = new Map(previous.resources.map((r) => [r.key, r]));
  const messages = [];
  for (const r of next.resources) {
    const old = before.get(r.key);
    if (old && old.sync !== r.sync) messages.push(`${r.key} is now ${r.sync}`);
    if (old && old.health !== r.health) messages.push(`${r.key} health is now ${r.health}`);
  }
  if (next.overall.rejectedRevision && !previous.overall.rejectedRevision)
    messages.push('A revision was rejected');
  if (messages.length === 0) return;
  const text = messages.length > 5 ? `${messages.length} resources changed state` : `${messages.join('. ')}.`;
  setText($('announcer'), text);
}

function applySnapshot(snapshot) {
  announceChanges(state.snapshot, snapshot);
  state.snapshot = snapshot;
  render();
}

// ---- data -----------------------------------------------------------------------------------

let detailTimer = null;

async function loadDetail() {
  const { key, target, id } = state.route;
  if (!key) return;
  const slash = key.indexOf('/');
  const resourcePath = `resources/${encodeURIComponent(key.slice(0, slash))}/${encodeURIComponent(key.slice(slash + 1))}`;
  const path = target ? `api/targets/${encodeURIComponent(target)}/${resourcePath}` : `api/${resourcePath}`;
  try {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    if (state.route.id !== id) return;
    state.detail = response.ok ? await response.json() : null;
    state.detailKey = id;
    render();
  } catch {
    // The live connection indicator already tells the user the controller is unreachable.
  }
}

function scheduleDetail() {
  if (state.route.view !== 'resource') return;
  clearTimeout(detailTimer);
  detailTimer = setTimeout(loadDetail, 150);
}

async function poll() {
  try {
    const [status, events] = await Promise.all([
      fetch('api/status', { headers: { accept: 'application/json' } }),
      fetch('api/events?limit=50', { headers: { accept: 'application/json' } }),
    ]);
    if (status.ok) applySnapshot(await status.json());
    if (events.ok) state.events = await events.json();
    render();
    scheduleDetail();
    if (pollTimer) setConnection('polling', 'Polling (live updates unavailable)');
  } catch {
    setConnection('offline', 'Controller unreachable, retrying…');
  }
}

let pollTimer = null;

function startPolling() {
  if (pollTimer) return;
  poll();
  pollTimer = setInterval(poll, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

function setConnection(stateName, text) {
  const el = document.querySelector('[data-testid="connection"]');
  el.dataset.state = stateName;
  setText(el, text);
}

let source = null;

function connectLive() {
  if (!('EventSource' in window)) {
    startPolling();
    return;
  }
  source = new EventSource('api/events');
  source.addEventListener('open', () => {
    stopPolling();
    setConnection('live', 'Live');
  });
  source.addEventListener('error', () => {
    // EventSource reconnects by itself; meanwhile keep the page current by polling.
    setConnection('reconnecting', 'Reconnecting…');
    startPolling();
  });
  source.addEventListener('snapshot', (message) => {
    applySnapshot(JSON.parse(message.data));
    scheduleDetail();
  });
  source.addEventListener('recent-events', (message) => {
    state.events = JSON.parse(message.data);
    render();
  });
  source.addEventListener('controller-event', (message) => {
    const event = JSON.parse(message.data);
    state.events = [...state.events.slice(-199), event];
    render();
    if (state.route.view === 'resource' && event.resource === state.route.key) scheduleDetail();
  });
}

// ---- Sync now -------------------------------------------------------------------------------

function storedToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage may be disabled; the field still works for this page.
  }
}

async function syncNow(event) {
  event.preventDefault();
  const button = $('sync-now');
  const result = $('sync-result');
  const tokenInput = $('api-token');
  const token = tokenInput.value.trim() || storedToken();
  button.disabled = true;
  setText(result, 'Requesting sync…');
  try {
    const response = await fetch('api/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ reason: 'dashboard' }),
    });
    if (response.status === 202) {
      if (token) storeToken(token);
      result.dataset.state = 'ok';
      setText(result, 'Sync requested.');
    } else if (response.status === 401) {
      storeToken('');
      $('token-field').hidden = false;
      result.dataset.state = 'error';
      setText(result, token ? 'The API token was not accepted.' : 'This controller requires an API token.');
      tokenInput.focus();
    } else {
      const body = await response.json().catch(() => ({}));
      result.dataset.state = 'error';
      setText(result, `Sync refused: ${body.message ?? response.statusText}`);
    }
  } catch {
    result.dataset.state = 'error';
    setText(result, 'Controller unreachable.');
  } finally {
    button.disabled = false;
  }
}

// ---- deployment gates: Promote / Roll back ------------------------------------------------------

function storedName() {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

async function answerGate(action) {
  const { key = '', target } = state.route;
  const name = key.startsWith('Service/') ? key.slice('Service/'.length) : '';
  const result = $('gate-result');
  const token = $('api-token').value.trim() || storedToken();
  // Who answers goes into the service's status; the name is remembered for the next gate.
  const by = $('gate-by').value.trim();
  try {
    if (by) localStorage.setItem(NAME_KEY, by);
  } catch {
    // Storage may be disabled; the name still goes with this answer.
  }
  setText(result, action === 'promote' ? 'Promoting…' : 'Rolling back…');
  const route = `resources/Service/${encodeURIComponent(name)}/${action}`;
  // With several targets the page is one target's service: the answer goes to that target only.
  const path = target ? `api/targets/${encodeURIComponent(target)}/${route}` : `api/${route}`;
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ by: by || 'dashboard' }),
    });
    const body = await response.json().catch(() => ({}));
    result.dataset.state = response.ok ? 'ok' : 'error';
    setText(result, body.message ?? response.statusText);
    if (response.status === 401) $('token-field').hidden = false;
  } catch {
    result.dataset.state = 'error';
    setText(result, 'Controller unreachable.');
  }
}

// ---- start ----------------------------------------------------------------------------------

function start() {
  if (storedToken()) $('token-field').hidden = false;
  $('sync-form').addEventListener('submit', syncNow);
  $('gate-by').value = storedName();
  $('gate-promote').addEventListener('click', () => answerGate('promote'));
  $('gate-rollback').addEventListener('click', () => answerGate('rollback'));
  window.addEventListener('hashchange', onRouteChange);
  state.route = parseRoute();
  $('view-overview').hidden = state.route.view !== 'overview';
  $('view-resource').hidden = state.route.view === 'overview';
  if (state.route.view === 'resource') loadDetail();
  connectLive();
  // The first paint does not wait for the stream.
  poll();
  setInterval(() => refreshTimes(), 10_000);
}

start();
