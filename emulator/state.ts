// The single state of an emulator: plain JSON data (so it persists as is), partitioned by region.
// Wire objects are stored in the shape Describe* returns, timestamps as epoch seconds.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface ClusterRecord {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'INACTIVE';
  settings: { name: string; value: string }[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: JsonObject[];
  configuration?: JsonObject;
  serviceConnectDefaults?: JsonObject;
  /** Epoch ms when it became INACTIVE (purged after an hour, like ECS). */
  deletedAtMs?: number;
}

/** CPU units, MiB and host ports: what an instance offers or a task reserves. */
export interface InstanceResources {
  cpu: number;
  memory: number;
  ports: string[];
  portsUdp: string[];
}

export interface ContainerInstanceRecord {
  id: string;
  arn: string;
  clusterName: string;
  ec2InstanceId: string;
  status: 'ACTIVE' | 'DRAINING' | 'REGISTERING' | 'DEREGISTERING' | 'REGISTRATION_FAILED' | 'INACTIVE';
  statusReason?: string;
  registered: InstanceResources;
  /** The agent's attributes and custom ones (PutAttributes), in one list as ECS reports them. */
  attributes: { name: string; value?: string }[];
  versionInfo: JsonObject;
  registeredAtMs: number;
  agentConnected: boolean;
  version: number;
  capacityProviderName?: string;
  deregisteredAtMs?: number;
}

export interface CapacityProviderRecord {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  type: 'EC2_AUTOSCALING' | 'MANAGED_INSTANCES';
  /** Managed Instances providers belong to one cluster. */
  cluster?: string;
  autoScalingGroupProvider?: JsonObject;
  managedInstancesProvider?: JsonObject;
  updateStatus?: string;
  updateStatusReason?: string;
  deletedAtMs?: number;
}

export interface AccountSettingsState {
  /** PutAccountSettingDefault values. */
  defaults: Record<string, string>;
  /** PutAccountSetting values by principal ARN. */
  principals: Record<string, Record<string, string>>;
}

export interface TaskSetRecord {
  id: string;
  arn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  taskDefinition: string;
  externalId?: string;
  startedBy?: string;
  clientToken?: string;
  placement: JsonObject;
  loadBalancers: JsonObject[];
  serviceRegistries: JsonObject[];
  scale: JsonObject;
  pendingCount: number;
  runningCount: number;
  createdAt: number;
  updatedAt: number;
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING';
  stabilityStatusAt: number;
}

export interface TaskDefinitionRecord {
  /** The DescribeTaskDefinition `taskDefinition` object. */
  taskDefinition: JsonObject;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  launchType?: string;
  capacityProviderStrategy?: JsonObject[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: JsonObject;
  rolloutState: RolloutState;
  rolloutStateReason: string;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface ServiceRecord {
  /** Wire fields of the Service besides the ones below (config echo, createdBy, roleArn, …). */
  service: JsonObject;
  serviceArn: string;
  serviceName: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  deployments: DeploymentRecord[];
  events: ServiceEvent[];
  /** Hash of the CreateService request, for "Creation of service was not idempotent.". */
  createRequestHash: string;
  clientToken?: string;
  /** Task definition of the last deployment that COMPLETED: the circuit breaker rolls back to it. */
  lastCompleted?: { deploymentId: string; taskDefinition: string };
  /** True while the service is in steady state (so "has reached a steady state" is written once). */
  steady: boolean;
  deletedAtMs?: number;
  /** Task sets of an EXTERNAL-controller service. */
  taskSets?: TaskSetRecord[];
  /** The last unplaced-task event, so the same cause is reported once (as ECS omits duplicates). */
  unplacedMessage?: string;
  /** ARN of the service deployment the last deployment-starting CreateService/UpdateService made. */
  currentServiceDeploymentArn?: string;
  /** The service revision each classic deployment runs. */
  revisionsByDeployment?: Record<string, string>;
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** A lifecycle hook run at the deployment's current stage (DeploymentLifecycleHookDetail + timing). */
export interface LifecycleHookRun {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn?: string;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAtMs: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
  /** AWS_LAMBDA: when the simulated function answers next. */
  answerAtMs?: number;
}

/** One step of a progressive (BLUE_GREEN / LINEAR / CANARY) deployment's plan. */
export interface ProgressiveStep {
  stage: string;
  /** PRODUCTION_TRAFFIC_SHIFT: the target revision's production weight after this step. */
  productionWeight?: number;
  /** How long the stage holds after its hooks succeeded (bake times), ms. */
  holdMs: number;
}

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterName: string;
  serviceName: string;
  strategy: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  /** The service's deploymentConfiguration when the deployment started. */
  deploymentConfiguration: JsonObject;
  targetRevisionArn: string;
  /** The target revision runs behind the load balancers' alternate target groups (blue/green alternate). */
  targetRevisionGreen?: boolean;
  /** The classic (DescribeServices `deployments[]`) deployment that runs the target revision. */
  targetDeploymentId: string;
  sources: { revisionArn: string; deploymentId: string }[];
  /** The target revision's requested production / test traffic weights (sources share the rest). */
  productionWeight: number;
  testWeight: number;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn?: string };
  /** ROLLING: the classic deployment a rollback started. */
  rollbackDeploymentId?: string;
  breaker: { status: string; failureCount: number; threshold: number };
  alarms: { status: string; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** Progressive strategies: the plan, where it is, when the current step may move on. */
  plan?: ProgressiveStep[];
  stepIndex?: number;
  stepEnteredAtMs?: number;
  /** Every hook of the current stage has let go (SUCCEEDED, or TIMED_OUT with CONTINUE). */
  hooksSettled?: boolean;
  hooks: LifecycleHookRun[];
  /** Epoch ms of the next timed transition (a stage's end, a hook's answer or timeout). */
  nextAtMs?: number;
}

export type TaskLastStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export interface TaskRecord {
  /** The DescribeTasks object (status fields kept current by the scheduler). */
  task: JsonObject;
  taskId: string;
  taskArn: string;
  clusterName: string;
  /** `service:<name>` or the RunTask group. */
  group: string;
  serviceName?: string;
  deploymentId?: string;
  lastStatus: TaskLastStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** Epoch ms of the next lifecycle step (undefined once STOPPED). */
  nextAtMs?: number | undefined;
  /** This task will fail to start (image matched the failure rule). */
  willFail: boolean;
  stoppedAtMs?: number;
  taskSetId?: string;
  /** The EC2 container instance it runs on, and what it reserves there until STOPPED. */
  containerInstanceId?: string;
  reservation?: InstanceResources;
  /** Epoch ms the task reached RUNNING (exits are timed from it). */
  runningAtMs?: number;
  /** How its containers end (ecs/task-exits.ts): container name, exit code, ms after RUNNING. */
  exits?: { container: string; exitCode: number; afterMs: number; essential: boolean }[];
}

export interface ScalableTargetRecord {
  target: JsonObject;
  resourceId: string;
  scalableDimension: string;
  serviceNamespace: string;
  arn: string;
}

export interface ScalingPolicyRecord {
  policy: JsonObject;
  policyName: string;
  resourceId: string;
  scalableDimension: string;
  serviceNamespace: string;
}

export interface ScheduledActionRecord {
  action: JsonObject;
  scheduledActionName: string;
  resourceId: string;
  scalableDimension: string;
  serviceNamespace: string;
}

export interface RegionState {
  clusters: Record<string, ClusterRecord>;
  /** Revisions of a family in order (index = revision - 1). */
  taskDefinitions: Record<string, TaskDefinitionRecord[]>;
  /** Services of a cluster by name, INACTIVE ones included until purged. */
  services: Record<string, ServiceRecord[]>;
  tasks: Record<string, TaskRecord>;
  /** ECS tags by resource ARN. */
  tags: Record<string, Tag[]>;
  scalableTargets: ScalableTargetRecord[];
  scalingPolicies: ScalingPolicyRecord[];
  scheduledActions: ScheduledActionRecord[];
  /** Application Auto Scaling tags by ARN (a map, as that API uses). */
  autoscalingTags: Record<string, Record<string, string>>;
  /** RunTask clientTokens of the last 24 hours, by cluster + token (created on first use). */
  runTaskTokens?: Record<string, { requestHash: string; result: JsonObject; atMs: number }>;
  /** EventBridge Scheduler groups, schedules, group tags and invocations (created on first use). */
  scheduler?: {
    groups: Record<string, JsonObject>;
    schedules: Record<string, { schedule: JsonObject; createdMs: number; nextAtMs?: number }>;
    tags: Record<string, { Key: string; Value: string }[]>;
    invocations: JsonObject[];
  };
  /** EventBridge buses and the events PutEvents accepted (created on first use). */
  events?: { buses: Record<string, JsonObject>; received: JsonObject[] };
  containerInstances: Record<string, ContainerInstanceRecord>;
  capacityProviders: Record<string, CapacityProviderRecord>;
  accountSettings: AccountSettingsState;
  /** What preflight checks read (created on first use): ECR repositories by name, Secrets Manager
   * secrets by name, SSM parameters by name, CloudWatch Logs groups by name. */
  ecrRepositories?: Record<string, JsonObject>;
  secrets?: Record<string, JsonObject>;
  ssmParameters?: Record<string, JsonObject>;
  logGroups?: Record<string, JsonObject>;
  /** Elastic Load Balancing v2 target groups by ARN (created on first use). */
  targetGroups?: Record<string, JsonObject>;
  /** Service deployments and revisions by ARN (created on first use). */
  serviceDeployments?: Record<string, ServiceDeploymentRecord>;
  serviceRevisions?: Record<string, JsonObject>;
  /** CloudWatch alarm states set through the admin API (`ALARM`, `OK`, `INSUFFICIENT_DATA`). */
  alarmStates?: Record<string, string>;
  /** How simulated AWS_LAMBDA lifecycle hooks answer, by function ARN or `*` (admin API). */
  hookRules?: Record<string, { result: 'SUCCEEDED' | 'FAILED'; inProgressSeconds: number }>;
}

export interface EmulatorState {
  version: 1;
  accountId: string;
  /** Emulated epoch ms when last saved: a restarted emulator continues from here. */
  clockMs: number;
  regions: Record<string, RegionState>;
  /** IAM is global: an account's roles by lower-cased name (IAM names ignore case), created on first use. */
  iam?: { roles: Record<string, JsonObject> };
}

export const STATE_VERSION = 1;

export function emptyState(accountId: string, clockMs: number): EmulatorState {
  return { version: STATE_VERSION, accountId, clockMs, regions: {} };
}

export function emptyRegion(): RegionState {
  return {
    clusters: {},
    taskDefinitions: {},
    services: {},
    tasks: {},
    tags: {},
    scalableTargets: [],
    scalingPolicies: [],
    scheduledActions: [],
    autoscalingTags: {},
    containerInstances: {},
    capacityProviders: {},
    accountSettings: { defaults: {}, principals: {} },
  };
}

export function regionOf(state: EmulatorState, region: string): RegionState {
  let found = state.regions[region];
  if (!found) {
    found = emptyRegion();
    state.regions[region] = found;
  }
  // State files written before EC2 capacity existed lack these members.
  found.containerInstances ??= {};
  found.capacityProviders ??= {};
  found.accountSettings ??= { defaults: {}, principals: {} };
  return found;
}
