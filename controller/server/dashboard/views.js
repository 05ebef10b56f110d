// Renders the views from plain status data. Rows are keyed and updated in place, so live updates
// never move keyboard focus or scroll position.
import { $, badge, formatValue, h, setText, shortArn, shortRevision, timeAgo } from './dom.js';

const KIND_ORDER = ['Cluster', 'TaskDefinition', 'Service', 'ScalingPolicy'];

export function sortResources(resources) {
  return [...resources].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name),
  );
}

/** Replaces the children only when their content signature changed. */
function replaceIfChanged(el, signature, build) {
  if (el.dataset.sig === signature) return;
  el.dataset.sig = signature;
  el.replaceChildren(...build().filter((child) => child !== null && child !== undefined && child !== false));
}

function fact(term, ...value) {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

function revisionEl(revision) {
  if (!revision) return h('span', { className: 'muted' }, '—');
  return h('code', { title: revision }, shortRevision(revision));
}

// ---- rejected revision banner ---------------------------------------------------------------

export function renderBanner(overall) {
  const banner = $('rejected-banner');
  const rejected = overall?.rejectedRevision;
  banner.hidden = !rejected;
  replaceIfChanged(banner, JSON.stringify(rejected ?? null) + (overall?.lastAppliedRevision ?? ''), () => {
    if (!rejected) return [];
    const kept = overall.lastAppliedRevision
      ? ['The last good revision ', revisionEl(overall.lastAppliedRevision), ' stays applied.']
      : ['Nothing from it was applied.'];
    const count = rejected.problemCount ?? rejected.problems.length;
    const hidden = count - rejected.problems.length;
    return [
      h('h2', {}, 'Revision ', revisionEl(rejected.revision), ' was rejected'),
      h(
        'p',
        {},
        `${count} problem${count === 1 ? '' : 's'} in the manifests. `,
        ...kept,
        ' Rejected ',
        timeAgo(rejected.at),
        '.',
      ),
      h(
        'ul',
        { className: 'problems' },
        rejected.problems.map((p) => h('li', { 'data-testid': 'problem' }, h('code', {}, p))),
      ),
      ...(hidden > 0 ? [h('p', {}, `… and ${hidden} more`)] : []),
    ];
  });
}

// ---- overview -------------------------------------------------------------------------------

export function renderSource(overall) {
  const s = overall.source;
  const c = s.condition;
  replaceIfChanged(
    $('source-facts'),
    JSON.stringify([s, overall.lastPass, overall.lastAppliedRevision]),
    () => [
      ...fact(s.type === 'git' ? 'Repository' : 'Folder', h('code', { 'data-testid': 'source-url' }, s.url)),
      ...(s.branch ? fact('Branch', h('code', {}, s.branch)) : []),
      ...(s.dir && s.dir !== '.' ? fact('Directory', h('code', {}, s.dir)) : []),
      ...fact(
        'Revision',
        h('span', { 'data-testid': 'source-revision' }, revisionEl(s.revision)),
        s.commitMessage
          ? h('span', { className: 'commit-message' }, ` ${s.commitMessage.split('\n')[0]}`)
          : null,
      ),
      ...fact(
        'Applied revision',
        h('span', { 'data-testid': 'applied-revision' }, revisionEl(overall.lastAppliedRevision)),
      ),
      ...fact(
        'Last fetch',
        timeAgo(s.lastFetchAt),
        s.lastFetchError ? h('span', { className: 'error-text' }, ` ${s.lastFetchError}`) : null,
      ),
      ...fact(
        'Source condition',
        h(
          'span',
          { 'data-testid': 'source-condition' },
          badge(c.status === 'True' ? 'Ready' : 'NotReady'),
          ` ${c.reason}`,
        ),
        c.message ? h('span', { className: 'muted' }, ` — ${c.message}`) : null,
      ),
      ...(overall.lastPass
        ? fact(
            'Last pass',
            `${overall.lastPass.result}, ${(overall.lastPass.durationMs / 1000).toFixed(1)}s, `,
            timeAgo(overall.lastPass.startedAt),
          )
        : []),
    ],
  );
}

export function renderCounts(overall, resources) {
  const parts = Object.entries(overall.counts?.sync ?? {})
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  setText(
    $('counts'),
    `${resources.length} resource${resources.length === 1 ? '' : 's'}${parts.length ? ` · ${parts.join(' · ')}` : ''}`,
  );
}

function driftCell(resource) {
  const paths = resource.diff.map((d) => d.path);
  if (paths.length === 0) return [];
  if (resource.sync === 'Drifted') return paths.map((p) => h('mark', { className: 'drift-field' }, p));
  return [
    h(
      'span',
      { className: 'pending', title: paths.join(', ') },
      `${paths.length} pending: ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}`,
    ),
  ];
}

function createRow(key) {
  const cells = ['kind', 'name', 'sync', 'health', 'revision', 'age', 'drift'].map((col) =>
    col === 'name' ? h('th', { scope: 'row', 'data-col': col }) : h('td', { 'data-col': col }),
  );
  return h('tr', { 'data-key': key }, cells);
}

/** The link to a resource's page: target-qualified when resources are grouped by target. */
function resourceHref(r, grouped) {
  const own = `${r.kind}/${encodeURIComponent(r.name)}`;
  return grouped ? `#/targets/${encodeURIComponent(r.target)}/${own}` : `#/${own}`;
}

function createGroupRow(key) {
  return h(
    'tr',
    { 'data-key': key, className: 'target-group' },
    h('th', { scope: 'colgroup', colspan: '7' }),
  );
}

function updateGroupRow(row, target, resources) {
  const failing = resources.filter((r) => r.sync === 'Failed' || r.health === 'Degraded').length;
  setText(
    row.querySelector('th'),
    `${target.name} · ${resources.length} resources${failing > 0 ? ` · ${failing} failing` : ''}${target.overall.ready ? '' : ' · not ready'}`,
  );
}

function updateRow(row, r, grouped = false) {
  const cell = (col) => row.querySelector(`[data-col="${col}"]`);
  row.classList.toggle('is-drifted', r.sync === 'Drifted');
  row.classList.toggle('is-failed', r.sync === 'Failed' || r.health === 'Degraded');
  setText(cell('kind'), r.kind);
  replaceIfChanged(cell('name'), `${r.name}|${grouped ? r.target : ''}`, () => [
    h('a', { href: resourceHref(r, grouped) }, r.name),
  ]);
  replaceIfChanged(cell('sync'), `${r.sync}|${r.lastError?.message ?? ''}`, () => [
    badge(r.sync, r.lastError?.message),
  ]);
  replaceIfChanged(cell('health'), `${r.health}|${r.healthMessage ?? ''}`, () => [
    badge(r.health, r.healthMessage),
    r.healthMessage ? h('span', { className: 'health-message' }, r.healthMessage) : null,
  ]);
  replaceIfChanged(cell('revision'), r.lastAppliedRevision ?? '', () => [revisionEl(r.lastAppliedRevision)]);
  const since = r.lastAppliedAt ?? r.observedAt;
  const ageCell = cell('age');
  if (since) ageCell.setAttribute('data-age-of', since);
  else ageCell.removeAttribute('data-age-of');
  ageCell.title = since ?? '';
  replaceIfChanged(cell('drift'), `${r.sync}|${r.diff.map((d) => d.path).join(',')}`, () => driftCell(r));
}

/**
 * The resource table. With several targets (`targets` from /api/status), each target's resources
 * follow a header row naming it, and rows are keyed `<target>/<Kind>/<name>`.
 */
export function renderResourceRows(resources, targets = []) {
  const tbody = $('resource-rows');
  const existing = new Map([...tbody.rows].map((row) => [row.dataset.key, row]));
  const grouped = targets.length > 1;
  const items = grouped
    ? targets.flatMap((target) => {
        const own = resources.filter((r) => r.target === target.name);
        return [{ target, own }, ...sortResources(own).map((r) => ({ r }))];
      })
    : sortResources(resources).map((r) => ({ r }));
  items.forEach((item, index) => {
    const key = item.target
      ? `target:${item.target.name}`
      : grouped
        ? `${item.r.target}/${item.r.key}`
        : item.r.key;
    let row = existing.get(key);
    existing.delete(key);
    if (!row) row = item.target ? createGroupRow(key) : createRow(key);
    if (item.target) updateGroupRow(row, item.target, item.own);
    else updateRow(row, item.r, grouped);
    if (tbody.rows[index] !== row) tbody.insertBefore(row, tbody.rows[index] ?? null);
  });
  for (const row of existing.values()) row.remove();
  $('no-resources').hidden = resources.length > 0;
}

// ---- events ---------------------------------------------------------------------------------

const SEVERITY_LABEL = { info: 'info', warning: 'warning', error: 'error' };

function eventItem(e, withResource) {
  return h(
    'li',
    { className: `event severity-${e.severity}`, 'data-testid': 'event', 'data-type': e.type },
    h('span', { className: 'event-type' }, e.type),
    h('span', { className: 'visually-hidden' }, ` (${SEVERITY_LABEL[e.severity] ?? e.severity}) `),
    withResource && e.resource
      ? h('a', { href: `#/${e.resource}`, className: 'event-resource' }, e.resource)
      : null,
    h('span', { className: 'event-message' }, e.message),
    e.fields?.length
      ? h(
          'span',
          { className: 'event-fields' },
          e.fields.map((f) => h('code', {}, `${f.path}: ${formatValue(f.desired)} → ${formatValue(f.live)}`)),
        )
      : null,
    e.problems?.length
      ? h(
          'ul',
          { className: 'problems' },
          e.problems.map((p) => h('li', {}, h('code', {}, p))),
        )
      : null,
    timeAgo(e.time),
  );
}

/** Newest first. */
export function renderEvents(list, events, withResource, limit = 30) {
  const shown = events.slice(-limit).reverse();
  replaceIfChanged(list, JSON.stringify(shown.map((e) => [e.time, e.type, e.resource, e.message])), () =>
    shown.length
      ? shown.map((e) => eventItem(e, withResource))
      : [h('li', { className: 'empty' }, 'No events yet.')],
  );
}

// ---- resource page --------------------------------------------------------------------------

function renderFacts(r) {
  replaceIfChanged(
    $('resource-facts'),
    JSON.stringify([
      r.sync,
      r.health,
      r.healthMessage,
      r.lastAppliedRevision,
      r.lastAttemptedRevision,
      r.lastAppliedAt,
      r.observedAt,
      r.source,
      r.arn,
      r.plannedAction,
      r.lastError,
    ]),
    () => [
      ...fact('Sync', h('span', { 'data-testid': 'resource-sync' }, badge(r.sync))),
      ...fact(
        'Health',
        h('span', { 'data-testid': 'resource-health' }, badge(r.health)),
        r.healthMessage ? ` ${r.healthMessage}` : '',
      ),
      ...fact(
        'Applied revision',
        revisionEl(r.lastAppliedRevision),
        r.lastAppliedAt ? ' ' : '',
        r.lastAppliedAt ? timeAgo(r.lastAppliedAt) : null,
      ),
      ...fact('Attempted revision', revisionEl(r.lastAttemptedRevision)),
      ...(r.plannedAction ? fact('Planned action', r.plannedAction) : []),
      ...(r.source ? fact('Manifest', h('code', {}, r.source)) : []),
      ...(r.arn ? fact('ARN', h('code', { className: 'wrap' }, r.arn)) : []),
      ...fact('Observed', timeAgo(r.observedAt)),
      ...(r.lastError
        ? fact(
            'Last error',
            h(
              'span',
              { className: 'error-text', 'data-testid': 'resource-error' },
              `${r.lastError.code}: ${r.lastError.message} `,
            ),
            timeAgo(r.lastError.at),
          )
        : []),
    ],
  );
  replaceIfChanged($('condition-rows'), JSON.stringify(r.conditions), () =>
    r.conditions.map((c) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, c.type),
        h('td', {}, badge(c.status)),
        h('td', {}, c.reason),
        h('td', {}, c.message),
        h('td', {}, timeAgo(c.lastTransitionTime)),
      ),
    ),
  );
}

const OP_LABEL = { add: 'missing in ECS', remove: 'only in ECS', change: 'changed' };

function renderDiff(r) {
  const drifted = r.sync === 'Drifted';
  replaceIfChanged($('diff-rows'), JSON.stringify([drifted, r.diff]), () =>
    r.diff.map((d) =>
      h(
        'tr',
        { 'data-path': d.path, className: drifted ? 'is-drifted' : '' },
        h(
          'th',
          { scope: 'row' },
          h('code', {}, d.path),
          d.createOnly ? h('span', { className: 'tag' }, 'replace') : null,
        ),
        h('td', {}, OP_LABEL[d.op] ?? d.op),
        h(
          'td',
          { 'data-col': 'desired', className: d.sensitive ? 'masked' : '' },
          h('code', {}, formatValue(d.desired)),
        ),
        h(
          'td',
          { 'data-col': 'live', className: d.sensitive ? 'masked' : '' },
          h('code', {}, formatValue(d.live)),
        ),
      ),
    ),
  );
  $('no-diff').hidden = r.diff.length > 0;
}

/** `canary 5% · PRODUCTION_TRAFFIC_SHIFT` from the status's serviceDeployment summary. */
function progressLine(d) {
  const label = d.strategy === 'BLUE_GREEN' ? 'blue/green' : d.strategy.toLowerCase();
  const parts = [`${label} ${d.productionWeight ?? 0}%`];
  if (d.awaitingApproval) parts.push(`waiting for approval at ${d.stage}`);
  // An analysis-only gate: the controller answers it; nobody has to (Roll back still can).
  else if (d.awaitingAnalysis) parts.push(`analysis running at ${d.stage}`);
  else if (d.bakeEndsAt) parts.push(`baking until ${new Date(d.bakeEndsAt).toLocaleTimeString()}`);
  else if (d.stage) parts.push(d.stage);
  if (d.rollbackReason) parts.push(d.rollbackReason);
  return parts.join(' · ');
}

/** Who answered the gates (newest first) and the last analysis: what the status records. */
function gateHistory(r) {
  const items = [];
  const run = (r.analyses ?? []).at(-1);
  if (run) {
    const last = run.checks.at(-1);
    const result = last ? `, last ${last.error ?? `HTTP ${last.httpStatus}`}` : '';
    const answer = run.answer ? ` → ${run.answer}` : run.note ? ` (${run.note})` : '';
    items.push(
      h(
        'li',
        { 'data-testid': 'analysis' },
        `analysis ${run.state.toLowerCase()} at ${run.stage ?? '?'}: ${run.checks.length} check(s)${result}${answer}`,
      ),
    );
  }
  for (const a of [...(r.approvals ?? [])].reverse().slice(0, 5)) {
    const verb = a.action === 'promote' ? 'promoted' : 'rolled back';
    items.push(h('li', {}, `${verb} by ${a.by} at ${a.stage ?? '?'} · ${new Date(a.at).toLocaleString()}`));
  }
  return items;
}

function renderProgressive(r) {
  const d = r.serviceDeployment;
  $('progressive').hidden = !d;
  replaceIfChanged($('gate-history'), JSON.stringify([r.approvals, r.analyses?.at(-1)]), () =>
    gateHistory(r),
  );
  $('gate-history').hidden = !r.approvals?.length && !r.analyses?.length;
  if (!d) return;
  $('progressive').dataset.arn = d.arn;
  replaceIfChanged($('progressive-status'), d.status, () => [badge(d.status)]);
  setText($('progressive-line'), progressLine(d));
  const inFlight = d.status === 'IN_PROGRESS' || d.status === 'PENDING';
  $('gate-actions').hidden = !inFlight;
  $('gate-promote').disabled = !d.awaitingApproval;
}

function renderDeployments(r, stoppedReasons) {
  const section = $('deployments-section');
  section.hidden = r.kind !== 'Service';
  if (section.hidden) return;
  renderProgressive(r);
  const deployments = r.deployments ?? [];
  replaceIfChanged($('deployment-rows'), JSON.stringify(deployments), () =>
    deployments.map((d) =>
      h(
        'tr',
        { 'data-deployment': d.id, className: d.rolloutState === 'FAILED' ? 'is-failed' : '' },
        h('th', { scope: 'row' }, h('code', {}, d.id)),
        h('td', {}, d.status),
        h(
          'td',
          { 'data-col': 'rollout' },
          d.rolloutState ? badge(d.rolloutState) : '—',
          d.rolloutStateReason ? h('span', { className: 'health-message' }, d.rolloutStateReason) : null,
        ),
        h('td', { 'data-col': 'tasks' }, `${d.runningCount}/${d.desiredCount}`),
        h('td', {}, String(d.pendingCount)),
        h(
          'td',
          { 'data-col': 'failed', className: d.failedTasks > 0 ? 'error-text' : '' },
          String(d.failedTasks),
        ),
        h('td', {}, h('code', { title: d.taskDefinition }, shortArn(d.taskDefinition))),
        h('td', {}, timeAgo(d.updatedAt ?? d.createdAt)),
      ),
    ),
  );
  $('no-deployments').hidden = deployments.length > 0;
  const reasons = stoppedReasons ?? r.stoppedReasons ?? [];
  $('stopped-heading').hidden = reasons.length === 0;
  replaceIfChanged($('stopped-reasons'), JSON.stringify(reasons), () => reasons.map((s) => h('li', {}, s)));
}

const HOOK_STATE = { Running: 'Progressing', Succeeded: 'Healthy', Failed: 'Degraded' };

function renderHookRuns(r) {
  const section = $('hook-runs-section');
  section.hidden = r.kind !== 'Task';
  if (section.hidden) return;
  const runs = r.hookRuns ?? [];
  replaceIfChanged($('hook-run-rows'), JSON.stringify(runs), () =>
    runs.map((run) =>
      h(
        'tr',
        { 'data-hook-run': run.phase, className: run.state === 'Failed' ? 'is-failed' : '' },
        h('th', { scope: 'row' }, run.phase),
        h('td', {}, h('code', { title: run.revision }, shortRevision(run.revision))),
        h('td', { 'data-col': 'state' }, badge(run.state, HOOK_STATE[run.state])),
        h(
          'td',
          { 'data-col': 'exit-codes' },
          Object.entries(run.exitCodes)
            .map(([name, code]) => `${name}=${code}`)
            .join(', ') || '—',
        ),
        h('td', {}, timeAgo(run.startedAt)),
        h('td', { className: 'health-message' }, run.message),
      ),
    ),
  );
  $('no-hook-runs').hidden = runs.length > 0;
}

/** `resource` from the live snapshot; `detail` from /api/resources when loaded (adds events). */
export function renderResource(key, resource, detail) {
  setText($('resource-heading'), key);
  $('resource-missing').hidden = Boolean(resource);
  $('resource-body').hidden = !resource;
  if (!resource) return;
  renderFacts(resource);
  renderDiff(resource);
  renderDeployments(resource, detail?.stoppedReasons);
  renderHookRuns(resource);
  renderEvents($('resource-events'), detail?.events ?? [], false, 50);
}
