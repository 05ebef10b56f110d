// A cluster: CreateCluster input (desired) or DescribeClusters output with SETTINGS/CONFIGURATIONS
// (live) → the comparable form. Runtime counters (registeredContainerInstancesCount, runningTasksCount,
// statistics, attachments, status, clusterArn) are dropped.
import { normalizeCapacityProviderStrategy } from './service.js';
import { sortByKey, sortScalars } from './sort.js';
import { asObject, dropAbsent, isPlainObject, type PlainObject, pick } from './values.js';

export const CLUSTER_FIELDS = [
  'settings',
  'configuration',
  'capacityProviders',
  'defaultCapacityProviderStrategy',
  'serviceConnectDefaults',
] as const;

/**
 * Fields whose absence in the manifest means "whatever the account default is": containerInsights
 * follows an account setting, so an omitted `settings` must not fight it.
 */
export function normalizeCluster(raw: PlainObject, desiredSpec?: PlainObject): PlainObject {
  const spec = pick(raw, CLUSTER_FIELDS);
  if (desiredSpec) {
    for (const field of ['settings', 'configuration', 'serviceConnectDefaults'] as const) {
      if (desiredSpec[field] === undefined) delete spec[field];
    }
    const desiredSettings = new Set(
      (Array.isArray(desiredSpec.settings) ? desiredSpec.settings : [])
        .filter(isPlainObject)
        .map((s) => s.name),
    );
    if (Array.isArray(spec.settings)) {
      spec.settings = spec.settings.filter((s) => isPlainObject(s) && desiredSettings.has(s.name));
    }
    // Namespaces are referred to by name in manifests but returned as ARNs; compare names only when ARN vs ARN.
    const desiredNamespace = asObject(desiredSpec.serviceConnectDefaults).namespace;
    const liveNamespace = asObject(spec.serviceConnectDefaults).namespace;
    if (
      typeof desiredNamespace === 'string' &&
      !desiredNamespace.startsWith('arn:') &&
      typeof liveNamespace === 'string' &&
      liveNamespace.startsWith('arn:')
    ) {
      spec.serviceConnectDefaults = { ...asObject(spec.serviceConnectDefaults), namespace: desiredNamespace };
    }
  }
  if (Array.isArray(spec.settings)) {
    spec.settings = sortByKey(spec.settings.filter(isPlainObject), (s) => String(s.name ?? ''));
  }
  spec.capacityProviders = sortScalars(spec.capacityProviders);
  spec.defaultCapacityProviderStrategy = normalizeCapacityProviderStrategy(
    spec.defaultCapacityProviderStrategy,
  );
  return asObject(dropAbsent(spec));
}
