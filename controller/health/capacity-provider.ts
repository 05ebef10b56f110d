// CapacityProvider health from DescribeCapacityProviders' `capacityProvider`: ACTIVE is Healthy unless
// its last update failed (UPDATE_FAILED / CREATE_FAILED, with ECS's updateStatusReason).
import type { LiveCapacityProvider } from '../live/model.js';
import { type HealthResult, health, MISSING } from './model.js';

export function capacityProviderHealth(provider: LiveCapacityProvider | undefined): HealthResult {
  if (!provider) return MISSING;
  const status = typeof provider.status === 'string' ? provider.status : 'UNKNOWN';
  const update = typeof provider.updateStatus === 'string' ? provider.updateStatus : undefined;
  const reason = typeof provider.updateStatusReason === 'string' ? `: ${provider.updateStatusReason}` : '';
  if (update?.endsWith('_FAILED'))
    return health('Degraded', 'UpdateFailed', `capacity provider ${update}${reason}`);
  if (update?.endsWith('_IN_PROGRESS'))
    return health('Progressing', 'Updating', `capacity provider ${update}`);
  switch (status) {
    case 'ACTIVE':
      return health('Healthy', 'Active', 'capacity provider ACTIVE');
    case 'PROVISIONING':
    case 'DEPROVISIONING':
      return health('Progressing', 'Provisioning', `capacity provider ${status}`);
    case 'INACTIVE':
      return health('Missing', 'Inactive', 'capacity provider INACTIVE (deleted)');
    default:
      return health('Unknown', 'UnknownStatus', `capacity provider status ${status}`);
  }
}
