// DOM and formatting helpers. Everything is built with textContent: no server value is ever
// parsed as HTML.

/** h('td', { 'data-col': 'sync', className: 'x' }, 'text', child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') el.className = value;
    else if (name === 'hidden') el.hidden = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function setText(el, text) {
  const value = text ?? '';
  if (el.textContent !== value) el.textContent = value;
}

export function $(id) {
  return document.getElementById(id);
}

/** Git shas to 12 characters, as the controller's events and logs write them (types.ts shortRevision); other revisions (content hashes) clipped. */
export function shortRevision(revision) {
  if (!revision) return '';
  if (/^[0-9a-f]{40}$/i.test(revision)) return revision.slice(0, 12);
  return revision.length > 14 ? `${revision.slice(0, 12)}…` : revision;
}

/** "12s", "4m", "3h", "2d" since an ISO time; "" when unknown. */
export function age(iso, now = Date.now()) {
  if (!iso) return '';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function ago(iso) {
  const a = age(iso);
  return a ? `${a} ago` : '';
}

/** A <time> element that the periodic refresh keeps current. */
export function timeAgo(iso) {
  if (!iso) return h('span', { className: 'muted' }, '—');
  return h('time', { datetime: iso, title: iso, 'data-ago': 'true' }, ago(iso));
}

export function refreshTimes(root = document) {
  for (const el of root.querySelectorAll('time[data-ago]')) setText(el, ago(el.getAttribute('datetime')));
  for (const el of root.querySelectorAll('[data-age-of]')) setText(el, age(el.getAttribute('data-age-of')));
}

/** Compact JSON for diff values; strings are shown without quotes. */
export function formatValue(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A badge says its state in words; color only reinforces it. */
export function badge(value, title) {
  return h(
    'span',
    { className: `badge badge-${String(value || 'Unknown').toLowerCase()}`, title },
    value || 'Unknown',
  );
}

/** `arn:aws:ecs:…:task-definition/web:7` → `web:7` */
export function shortArn(arn) {
  if (!arn) return '';
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}
