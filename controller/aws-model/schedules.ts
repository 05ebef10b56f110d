// EventBridge Scheduler identities: the schedule group a controller owns, and how the Scheduler's
// ECS target names a cluster.

/** The schedule group of a controller instance (group names: 1-64 of [0-9a-zA-Z-_.]). */
export function scheduleGroupOf(instance: string): string {
  const name = instance.replace(/[^0-9a-zA-Z\-_.]/g, '-').slice(0, 64);
  return name === '' || name === 'default' ? 'ecs-gitops' : name;
}

/** `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME` → NAME (anything else as it is). */
export function clusterNameOfArn(arn: string): string {
  const match = /:cluster\/(.+)$/.exec(arn);
  return match?.[1] ?? arn;
}

/** The Scheduler's ECS target `Tags` (a list of one-entry maps) → one map. */
export function targetTagsToMap(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const entry of tags) {
    if (entry && typeof entry === 'object') {
      for (const [key, value] of Object.entries(entry as Record<string, unknown>)) out[key] = String(value);
    }
  }
  return out;
}
