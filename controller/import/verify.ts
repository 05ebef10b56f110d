// The import's own proof: the written manifests are loaded by the real manifest loader and diffed
// (the pure diff) against the very live objects they came from. Anything but "in sync" is reported,
// so a field the renderer got wrong is caught before anyone commits the files.

import { serviceKey, serviceResourceId } from '../aws-model/ids.js';
import { diffResources } from '../diff/index.js';
import { formatProblem } from '../errors.js';
import type { Estate } from '../live/estate.js';
import { emptyLiveState, type LiveState } from '../live/model.js';
import { parseManifests } from '../manifest/index.js';
import { keyString } from '../types.js';
import type { ImportedFile } from './model.js';

export interface ImportCheck {
  /** Validation problems (file:line:col: …) of the written manifests. */
  readonly problems: readonly string[];
  /** Validation warnings (they do not fail `validate`). */
  readonly warnings: readonly string[];
  /** `Kind/name: path` of every field the diff would still change. */
  readonly differences: readonly string[];
}

/** The estate as the LiveState a diff reads. */
export function estateLiveState(estate: Estate): LiveState {
  const live = { ...emptyLiveState() } as {
    -readonly [K in keyof LiveState]: LiveState[K] extends Readonly<Record<string, infer V>>
      ? Record<string, V>
      : LiveState[K];
  };
  for (const { cluster, services } of estate.clusters) {
    const clusterName = String(cluster.clusterName);
    live.clusters[clusterName] = cluster;
    for (const entry of services) {
      const serviceName = String(entry.service.serviceName);
      live.services[serviceKey(clusterName, serviceName)] = entry.service;
      const arn = entry.service.taskDefinition;
      if (entry.taskDefinition && typeof arn === 'string') live.taskDefinitions[arn] = entry.taskDefinition;
      if (entry.scaling) {
        const id = serviceResourceId(clusterName, serviceName);
        live.scalableTargets[id] = entry.scaling.target;
        live.scalingPolicies[id] = entry.scaling.policies;
        live.scheduledActions[id] = entry.scaling.scheduledActions;
      }
    }
  }
  if (estate.schedules)
    (live as { schedules?: Record<string, unknown> }).schedules = Object.fromEntries(
      estate.schedules.map((schedule) => [String(schedule.Name), schedule]),
    );
  return live as LiveState;
}

export function verifyImport(files: readonly ImportedFile[], estate: Estate, instance: string): ImportCheck {
  const result = parseManifests(
    files.map((file) => ({ path: file.path, content: file.content })),
    { revision: 'import' },
  );
  const warnings = result.warnings.map(formatProblem);
  if (!result.ok) return { problems: result.problems.map(formatProblem), warnings, differences: [] };
  const diffs = diffResources(result.desired, estateLiveState(estate), { instance });
  const differences = diffs.flatMap((diff) => {
    // In sync, or to be adopted (ownership tags only): that is the round trip holding.
    if (diff.action === 'noop' || diff.action === 'adopt') return [];
    const key = keyString(diff.key);
    return diff.changes.length > 0
      ? diff.changes.map((change) => `${key}: ${change.path}`)
      : [`${key}: ${diff.action}`];
  });
  return { problems: [], warnings, differences };
}
