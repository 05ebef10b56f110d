// The operation table: X-Amz-Target → handler, and which operations change state.
import * as aasPolicies from '../autoscaling/policies.js';
import * as aasTags from '../autoscaling/tags.js';
import * as aasTargets from '../autoscaling/targets.js';
import type { Handler } from '../context.js';
import * as ecr from '../ecr/repositories.js';
import * as accountSettings from '../ecs/account-settings.js';
import * as attributes from '../ecs/attributes.js';
import * as capacityProviders from '../ecs/capacity-providers.js';
import * as clusters from '../ecs/clusters.js';
import * as instances from '../ecs/container-instances.js';
import * as serviceDeployments from '../ecs/service-deployments/api.js';
import * as services from '../ecs/services.js';
import * as tags from '../ecs/tags.js';
import * as taskDefinitions from '../ecs/task-definitions.js';
import * as taskSets from '../ecs/task-sets.js';
import * as tasks from '../ecs/tasks.js';
import * as targetGroups from '../elbv2/target-groups.js';
import * as eventBuses from '../events/event-buses.js';
import * as iam from '../iam/roles.js';
import * as logs from '../logs/log-groups.js';
import * as schedules from '../scheduler/schedules.js';
import * as secrets from '../secretsmanager/secrets.js';
import * as ssm from '../ssm/parameters.js';

export type ServiceName =
  | 'ecs'
  | 'application-autoscaling'
  | 'events'
  | 'ecr'
  | 'secretsmanager'
  | 'ssm'
  | 'logs'
  | 'scheduler'
  | 'iam'
  | 'elasticloadbalancing';

export interface Operation {
  readonly service: ServiceName;
  readonly name: string;
  /** `ecs:<Op>` / `application-autoscaling:<Op>`: the key of call counts, faults and rate limits. */
  readonly key: string;
  readonly handler: Handler;
  /** Writes run a scheduler pass right after (so a new service starts its tasks). */
  readonly mutating: boolean;
}

export const TARGET_PREFIX: Readonly<Record<string, ServiceName>> = {
  AmazonEC2ContainerServiceV20141113: 'ecs',
  AnyScaleFrontendService: 'application-autoscaling',
  AWSEvents: 'events',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
  secretsmanager: 'secretsmanager',
  AmazonSSM: 'ssm',
  Logs_20140328: 'logs',
};

const ecs: Record<string, [Handler, boolean]> = {
  CreateCluster: [clusters.createCluster, true],
  DescribeClusters: [clusters.describeClusters, false],
  ListClusters: [clusters.listClusters, false],
  UpdateCluster: [clusters.updateCluster, true],
  UpdateClusterSettings: [clusters.updateClusterSettings, true],
  PutClusterCapacityProviders: [clusters.putClusterCapacityProviders, true],
  DeleteCluster: [clusters.deleteCluster, true],
  RegisterTaskDefinition: [taskDefinitions.registerTaskDefinition, true],
  DescribeTaskDefinition: [taskDefinitions.describeTaskDefinition, false],
  ListTaskDefinitions: [taskDefinitions.listTaskDefinitions, false],
  ListTaskDefinitionFamilies: [taskDefinitions.listTaskDefinitionFamilies, false],
  DeregisterTaskDefinition: [taskDefinitions.deregisterTaskDefinition, true],
  DeleteTaskDefinitions: [taskDefinitions.deleteTaskDefinitions, true],
  CreateService: [services.createService, true],
  UpdateService: [services.updateService, true],
  DescribeServices: [services.describeServices, false],
  ListServices: [services.listServices, false],
  DeleteService: [services.deleteService, true],
  ListServiceDeployments: [serviceDeployments.listServiceDeployments, false],
  DescribeServiceDeployments: [serviceDeployments.describeServiceDeployments, false],
  DescribeServiceRevisions: [serviceDeployments.describeServiceRevisions, false],
  StopServiceDeployment: [serviceDeployments.stopServiceDeployment, true],
  ContinueServiceDeployment: [serviceDeployments.continueServiceDeployment, true],
  ListTasks: [tasks.listTasks, false],
  DescribeTasks: [tasks.describeTasks, false],
  RunTask: [tasks.runTask, true],
  StopTask: [tasks.stopTask, true],
  StartTask: [tasks.startTask, true],
  RegisterContainerInstance: [instances.registerContainerInstance, true],
  DeregisterContainerInstance: [instances.makeDeregisterContainerInstance(tasks.requestStop), true],
  ListContainerInstances: [instances.listContainerInstances, false],
  DescribeContainerInstances: [instances.describeContainerInstances, false],
  UpdateContainerInstancesState: [instances.updateContainerInstancesState, true],
  PutAttributes: [attributes.putAttributes, true],
  ListAttributes: [attributes.listAttributes, false],
  DeleteAttributes: [attributes.deleteAttributes, true],
  CreateCapacityProvider: [capacityProviders.createCapacityProvider, true],
  DescribeCapacityProviders: [capacityProviders.describeCapacityProviders, false],
  UpdateCapacityProvider: [capacityProviders.updateCapacityProvider, true],
  DeleteCapacityProvider: [capacityProviders.deleteCapacityProvider, true],
  PutAccountSetting: [accountSettings.putAccountSetting, true],
  PutAccountSettingDefault: [accountSettings.putAccountSettingDefault, true],
  ListAccountSettings: [accountSettings.listAccountSettings, false],
  DeleteAccountSetting: [accountSettings.deleteAccountSetting, true],
  CreateTaskSet: [taskSets.createTaskSet, true],
  DescribeTaskSets: [taskSets.describeTaskSets, false],
  UpdateTaskSet: [taskSets.updateTaskSet, true],
  DeleteTaskSet: [taskSets.deleteTaskSet, true],
  UpdateServicePrimaryTaskSet: [taskSets.updateServicePrimaryTaskSet, true],
  TagResource: [tags.tagResource, true],
  UntagResource: [tags.untagResource, true],
  ListTagsForResource: [tags.listTagsForResource, false],
};

const autoscaling: Record<string, [Handler, boolean]> = {
  RegisterScalableTarget: [aasTargets.registerScalableTarget, true],
  DescribeScalableTargets: [aasTargets.describeScalableTargets, false],
  DeregisterScalableTarget: [aasTargets.deregisterScalableTarget, true],
  PutScalingPolicy: [aasPolicies.putScalingPolicy, true],
  DescribeScalingPolicies: [aasPolicies.describeScalingPolicies, false],
  DeleteScalingPolicy: [aasPolicies.deleteScalingPolicy, true],
  PutScheduledAction: [aasPolicies.putScheduledAction, true],
  DescribeScheduledActions: [aasPolicies.describeScheduledActions, false],
  DeleteScheduledAction: [aasPolicies.deleteScheduledAction, true],
  TagResource: [aasTags.tagResource, true],
  UntagResource: [aasTags.untagResource, true],
  ListTagsForResource: [aasTags.listTagsForResource, false],
};

const events: Record<string, [Handler, boolean]> = {
  PutEvents: [eventBuses.putEvents, true],
  CreateEventBus: [eventBuses.createEventBus, true],
  DescribeEventBus: [eventBuses.describeEventBus, false],
  DeleteEventBus: [eventBuses.deleteEventBus, true],
};

/** EventBridge Scheduler (REST-JSON: scheduler/rest.ts maps method + path to these names). */
const scheduler: Record<string, [Handler, boolean]> = {
  CreateSchedule: [schedules.createSchedule, true],
  GetSchedule: [schedules.getSchedule, false],
  UpdateSchedule: [schedules.updateSchedule, true],
  DeleteSchedule: [schedules.deleteSchedule, true],
  ListSchedules: [schedules.listSchedules, false],
  CreateScheduleGroup: [schedules.createScheduleGroup, true],
  GetScheduleGroup: [schedules.getScheduleGroup, false],
  DeleteScheduleGroup: [schedules.deleteScheduleGroup, true],
  ListScheduleGroups: [schedules.listScheduleGroups, false],
  TagResource: [schedules.tagResource, true],
  UntagResource: [schedules.untagResource, true],
  ListTagsForResource: [schedules.listTagsForResource, false],
};

// The read calls of preflight checks, and the create calls that set up what they read (IAM and
// ELBv2 speak the query protocol: wire/query.ts frames them; their handlers see the same JSON).
const preflight: Record<Exclude<ServiceName, 'scheduler'>, Record<string, [Handler, boolean]>> = {
  ecs: {},
  'application-autoscaling': {},
  events: {},
  ecr: {
    CreateRepository: [ecr.createRepository, true],
    PutImage: [ecr.putImage, true],
    DescribeImages: [ecr.describeImages, false],
  },
  secretsmanager: {
    CreateSecret: [secrets.createSecret, true],
    DescribeSecret: [secrets.describeSecret, false],
  },
  ssm: {
    PutParameter: [ssm.putParameter, true],
    GetParameters: [ssm.getParameters, false],
  },
  logs: {
    CreateLogGroup: [logs.createLogGroup, true],
    DescribeLogGroups: [logs.describeLogGroups, false],
  },
  iam: {
    CreateRole: [iam.createRole, true],
    GetRole: [iam.getRole, false],
    DeleteRole: [iam.deleteRole, true],
  },
  elasticloadbalancing: {
    CreateTargetGroup: [targetGroups.createTargetGroup, true],
    DescribeTargetGroups: [targetGroups.describeTargetGroups, false],
    DeleteTargetGroup: [targetGroups.deleteTargetGroup, true],
  },
};

function table(service: ServiceName, entries: Record<string, [Handler, boolean]>): Map<string, Operation> {
  return new Map(
    Object.entries(entries).map(([name, [handler, mutating]]) => [
      name,
      { service, name, key: `${service}:${name}`, handler, mutating },
    ]),
  );
}

export const OPERATIONS: Readonly<Record<ServiceName, ReadonlyMap<string, Operation>>> = {
  ecs: table('ecs', ecs),
  'application-autoscaling': table('application-autoscaling', autoscaling),
  events: table('events', events),
  ecr: table('ecr', preflight.ecr),
  secretsmanager: table('secretsmanager', preflight.secretsmanager),
  ssm: table('ssm', preflight.ssm),
  logs: table('logs', preflight.logs),
  scheduler: table('scheduler', scheduler),
  iam: table('iam', preflight.iam),
  elasticloadbalancing: table('elasticloadbalancing', preflight.elasticloadbalancing),
};

export function allOperationKeys(): string[] {
  return Object.values(OPERATIONS).flatMap((ops) => [...ops.values()].map((op) => op.key));
}
