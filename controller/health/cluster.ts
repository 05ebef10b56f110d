// Cluster health from DescribeClusters' `cluster`.
import type { LiveCluster } from '../live/model.js';
import { type HealthResult, health, MISSING } from './model.js';

export function clusterHealth(cluster: LiveCluster | undefined): HealthResult {
  if (!cluster) return MISSING;
  const status = typeof cluster.status === 'string' ? cluster.status : 'UNKNOWN';
  switch (status) {
    case 'ACTIVE':
      return health('Healthy', 'Active', 'cluster ACTIVE');
    case 'PROVISIONING':
    case 'DEPROVISIONING':
      return health('Progressing', 'Provisioning', `cluster ${status}`);
    case 'FAILED':
      return health('Degraded', 'Failed', `cluster FAILED${reasonSuffix(cluster)}`);
    case 'INACTIVE':
      return health('Missing', 'Inactive', 'cluster INACTIVE (deleted)');
    default:
      return health('Unknown', 'UnknownStatus', `cluster status ${status}`);
  }
}

function reasonSuffix(cluster: LiveCluster): string {
  // ECS reports capacity-provider attachment failures on the cluster's attachmentsStatus.
  const attachments = cluster.attachmentsStatus;
  return typeof attachments === 'string' && attachments !== '' ? `: attachments ${attachments}` : '';
}
