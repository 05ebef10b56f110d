// Health of live objects, one pure function per kind.
export { clusterHealth } from './cluster.js';
export { type HealthResult, health, MISSING } from './model.js';
export { scalingPolicyHealth } from './scaling-policy.js';
export { type ServiceHealthOptions, serviceHealth } from './service.js';
export { taskDefinitionHealth } from './task-definition.js';
