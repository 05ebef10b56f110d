// Health of live objects, one pure function per kind, and healthOf: the dispatch for a resource.
export { capacityProviderHealth } from './capacity-provider.js';
export { clusterHealth } from './cluster.js';
export { type HealthResult, health, MISSING } from './model.js';
export { healthOf, serviceDeploymentOf } from './of-resource.js';
export { scalingPolicyHealth } from './scaling-policy.js';
export { type ServiceHealthOptions, serviceHealth } from './service.js';
export { taskDefinitionHealth } from './task-definition.js';
