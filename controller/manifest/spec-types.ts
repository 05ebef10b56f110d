// PROVISIONAL: replaced by types generated from schemas/*.json (manifest issue). Exported names stay.
export type Tags = Record<string, string>;

export interface ClusterSpec {
  clusterName?: string;
  settings?: { name: 'containerInsights'; value: string }[];
  configuration?: Record<string, unknown>;
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  serviceConnectDefaults?: { namespace: string };
  tags?: Tags;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  [field: string]: unknown;
}

export interface TaskDefinitionSpec {
  family?: string;
  containerDefinitions: ContainerDefinition[];
  revisionHistoryLimit?: number;
  tags?: Tags;
  [field: string]: unknown;
}

export interface ServiceSpec {
  serviceName?: string;
  cluster: string;
  taskDefinition: string;
  desiredCount?: number;
  tags?: Tags;
  [field: string]: unknown;
}

export interface ScalingPolicySpec {
  service: string;
  minCapacity: number;
  maxCapacity: number;
  targetTracking?: Record<string, unknown>[];
  stepScaling?: Record<string, unknown>[];
  scheduledActions?: Record<string, unknown>[];
  [field: string]: unknown;
}
