// A described cluster → the minimal Cluster spec (CreateCluster input shape).

import { CLUSTER_FIELDS } from '../diff/normalize/cluster.js';
import { SERVER_CHOSEN_DEFAULTS } from '../diff/normalize/defaults.js';
import { asObject, deepEqual, dropAbsent, type PlainObject, pick } from '../diff/normalize/values.js';
import { importCapacityProviderStrategy } from './service.js';

/** The spec without clusterName and tags (the caller adds them). */
export function importClusterSpec(live: PlainObject): PlainObject {
  const spec = pick(live, CLUSTER_FIELDS);
  // Container Insights off is the account's default: the diff does not compare omitted settings.
  if (deepEqual(spec.settings, SERVER_CHOSEN_DEFAULTS.clusterSettings)) delete spec.settings;
  spec.defaultCapacityProviderStrategy = importCapacityProviderStrategy(spec.defaultCapacityProviderStrategy);
  return asObject(dropAbsent(spec));
}
