// Task definition health: a registered revision is immutable, so only its status matters.
import type { LiveTaskDefinitionObject } from '../live/model.js';
import { type HealthResult, health, MISSING } from './model.js';

export function taskDefinitionHealth(taskDefinition: LiveTaskDefinitionObject | undefined): HealthResult {
  if (!taskDefinition) return MISSING;
  const status = typeof taskDefinition.status === 'string' ? taskDefinition.status : 'UNKNOWN';
  const revision = typeof taskDefinition.revision === 'number' ? `:${taskDefinition.revision}` : '';
  const name = `${String(taskDefinition.family ?? 'task definition')}${revision}`;
  switch (status) {
    case 'ACTIVE':
      return health('Healthy', 'Active', `${name} ACTIVE`);
    case 'INACTIVE':
      // Running services keep working on an INACTIVE revision, but no new service can use it.
      return health('Degraded', 'Inactive', `${name} is INACTIVE (deregistered)`);
    case 'DELETE_IN_PROGRESS':
      return health('Missing', 'Deleting', `${name} is being deleted`);
    default:
      return health('Unknown', 'UnknownStatus', `${name} status ${status}`);
  }
}
