// Generates schemas/*.schema.json from the AWS SDK's own request shapes, so every spec field mirrors the
// ECS / Application Auto Scaling API field by field (names, nesting, required members, enums, docs).
// Dev-time only: `npm run gen:schemas`. Ranges and the few deliberate differences of docs/manifests.md
// (tags as maps, defaulted names, cpu/memory unit forms, references) are the overrides below.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

type Json = { [key: string]: unknown };

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const sdkTypes = (pkg: string) =>
  join(dirname(require.resolve(`${pkg}/package.json`)), 'dist-types', 'index.d.ts');

const program = ts.createProgram(
  [sdkTypes('@aws-sdk/client-ecs'), sdkTypes('@aws-sdk/client-application-auto-scaling')],
  { strict: true, skipLibCheck: true },
);
const checker = program.getTypeChecker();

function findInterface(pkg: 'ecs' | 'aas', name: string): ts.InterfaceDeclaration {
  const marker = pkg === 'ecs' ? 'client-ecs' : 'client-application-auto-scaling';
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.includes(marker) || !file.fileName.includes('/models/')) continue;
    for (const statement of file.statements) {
      if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) return statement;
    }
  }
  throw new Error(`interface ${name} not found in ${marker}`);
}

/** First paragraph of the AWS doc HTML, as plain text, short enough for an editor tooltip. */
function describe(docs: string): string | undefined {
  const first = /<p>([\s\S]*?)<\/p>/.exec(docs)?.[1] ?? docs;
  let text = first
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length > 400) {
    const cut = text.lastIndexOf('. ', 400);
    text = cut > 100 ? text.slice(0, cut + 1) : `${text.slice(0, 397)}...`;
  }
  return text || undefined;
}

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** Numbers that are Double in the API (everything else is Integer). */
const DOUBLES = new Set([
  'TargetTrackingScalingPolicyConfiguration.TargetValue',
  'StepAdjustment.MetricIntervalLowerBound',
  'StepAdjustment.MetricIntervalUpperBound',
  'CanaryConfiguration.canaryPercent',
  'LinearConfiguration.stepPercent',
]);

/** Ranges and patterns AWS documents in prose (API reference "Valid Range" / "Constraints"). */
const CONSTRAINTS: Record<string, Json> = {
  'PortMapping.containerPort': { minimum: 0, maximum: 65535 },
  'PortMapping.hostPort': { minimum: 0, maximum: 65535 },
  'PortMapping.name': { pattern: '^[a-z0-9_][a-z0-9_-]{0,63}$' },
  'ContainerDefinition.name': { pattern: '^[A-Za-z0-9_-]{1,255}$' },
  'ContainerDefinition.image': { minLength: 1 },
  'ContainerDefinition.cpu': { minimum: 0 },
  'ContainerDefinition.memory': { minimum: 6 },
  'ContainerDefinition.memoryReservation': { minimum: 6 },
  'ContainerDefinition.startTimeout': { minimum: 2, maximum: 600 },
  'ContainerDefinition.stopTimeout': { minimum: 2, maximum: 120 },
  'HealthCheck.interval': { minimum: 5, maximum: 300 },
  'HealthCheck.timeout': { minimum: 2, maximum: 60 },
  'HealthCheck.retries': { minimum: 1, maximum: 10 },
  'HealthCheck.startPeriod': { minimum: 0, maximum: 300 },
  'HealthCheck.command': { minItems: 1 },
  'EphemeralStorage.sizeInGiB': { minimum: 21, maximum: 200 },
  'ContainerRestartPolicy.restartAttemptPeriod': { minimum: 60, maximum: 1800 },
  'LinuxParameters.swappiness': { minimum: 0, maximum: 100 },
  'LinuxParameters.maxSwap': { minimum: 0 },
  'LinuxParameters.sharedMemorySize': { minimum: 0 },
  'Tmpfs.size': { minimum: 1 },
  'EFSVolumeConfiguration.transitEncryptionPort': { minimum: 0, maximum: 65535 },
  'CapacityProviderStrategyItem.weight': { minimum: 0, maximum: 1000 },
  'CapacityProviderStrategyItem.base': { minimum: 0, maximum: 100000 },
  'CreateServiceRequest.desiredCount': { minimum: 0 },
  'CreateServiceRequest.healthCheckGracePeriodSeconds': { minimum: 0, maximum: 2147483647 },
  'CreateServiceRequest.placementConstraints': { maxItems: 10 },
  'CreateServiceRequest.placementStrategy': { maxItems: 5 },
  'CreateServiceRequest.loadBalancers': { maxItems: 5 },
  'DeploymentConfiguration.maximumPercent': { minimum: 0 },
  'DeploymentConfiguration.minimumHealthyPercent': { minimum: 0, maximum: 100 },
  'DeploymentConfiguration.bakeTimeInMinutes': { minimum: 0, maximum: 1440 },
  'LoadBalancer.containerPort': { minimum: 0, maximum: 65535 },
  'AwsVpcConfiguration.subnets': { minItems: 1, maxItems: 16 },
  'AwsVpcConfiguration.securityGroups': { maxItems: 5 },
  'RegisterTaskDefinitionRequest.containerDefinitions': { minItems: 1, maxItems: 10 },
  'RegisterTaskDefinitionRequest.family': { pattern: '^[A-Za-z0-9_-]{1,255}$' },
  'RegisterTaskDefinitionRequest.volumes': { maxItems: 100 },
  'RegisterTaskDefinitionRequest.placementConstraints': { maxItems: 10 },
  'CreateClusterRequest.clusterName': { pattern: '^[A-Za-z0-9_-]{1,255}$' },
  'CreateCapacityProviderRequest.name': { pattern: '^(?![aA][wW][sS]|[eE][cC][sS]|[fF][aA][rR][gG][aA][tT][eE])[A-Za-z0-9_-]{1,255}$' },
  'ManagedScaling.targetCapacity': { minimum: 1, maximum: 100 },
  'ManagedScaling.minimumScalingStepSize': { minimum: 1, maximum: 10000 },
  'ManagedScaling.maximumScalingStepSize': { minimum: 1, maximum: 10000 },
  'ManagedScaling.instanceWarmupPeriod': { minimum: 0, maximum: 10000 },
  'CreateServiceRequest.serviceName': { pattern: '^[A-Za-z0-9_-]{1,255}$' },
  'TargetTrackingScalingPolicyConfiguration.ScaleInCooldown': { minimum: 0, maximum: 86400 },
  'TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown': { minimum: 0, maximum: 86400 },
  'StepScalingPolicyConfiguration.Cooldown': { minimum: 0, maximum: 86400 },
  'StepScalingPolicyConfiguration.StepAdjustments': { minItems: 1 },
  'StepScalingPolicyConfiguration.MinAdjustmentMagnitude': { minimum: 1 },
  'ScalableTargetAction.MinCapacity': { minimum: 0 },
  'ScalableTargetAction.MaxCapacity': { minimum: 0 },
  'PredefinedMetricSpecification.ResourceLabel': { minLength: 1, maxLength: 1023 },
};

/** API fields that make no sense in a declarative manifest (actions, idempotency tokens, server-side ids). */
const OMIT = new Set(['CreateServiceRequest.clientToken']);

class Builder {
  readonly definitions: Record<string, Json> = {};
  constructor(private readonly pkg: 'ecs' | 'aas') {}

  ref(name: string): Json {
    if (!this.definitions[name]) {
      this.definitions[name] = {}; // placeholder against recursion
      this.definitions[name] = this.object(name);
    }
    return { $ref: `#/definitions/${name}` };
  }

  object(name: string, extraOmit: readonly string[] = []): Json {
    const decl = findInterface(this.pkg, name);
    const docs = ts.displayPartsToString(
      checker.getSymbolAtLocation(decl.name)?.getDocumentationComment(checker) ?? [],
    );
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const apiName = member.name.getText();
      if (OMIT.has(`${name}.${apiName}`) || extraOmit.includes(apiName)) continue;
      const symbol = checker.getSymbolAtLocation(member.name);
      const propDocs = ts.displayPartsToString(symbol?.getDocumentationComment(checker) ?? []);
      const key = this.pkg === 'aas' ? camel(apiName) : apiName;
      const schema: Json = { ...this.type(member.type, `${name}.${apiName}`), ...CONSTRAINTS[`${name}.${apiName}`] };
      const description = describe(propDocs);
      properties[key] = description ? { description, ...schema } : schema;
      if (!member.questionToken) required.push(key);
    }
    const description = describe(docs);
    // The SDK marks them optional, but RegisterTaskDefinition rejects a container without them.
    if (name === 'ContainerDefinition') required.push('name', 'image');
    return {
      type: 'object',
      ...(description ? { description } : {}),
      additionalProperties: false,
      ...(required.length ? { required } : {}),
      properties,
    };
  }

  type(node: ts.TypeNode, where: string): Json {
    if (ts.isUnionTypeNode(node)) {
      const parts = node.types.filter(
        (part) => !(ts.isLiteralTypeNode(part) || part.kind === ts.SyntaxKind.UndefinedKeyword) || ts.isLiteralTypeNode(part) && part.literal.kind !== ts.SyntaxKind.UndefinedKeyword,
      ).filter((part) => part.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (parts.length === 1 && parts[0]) return this.type(parts[0], where);
      throw new Error(`unsupported union at ${where}: ${node.getText()}`);
    }
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.type(node.elementType, where) };
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: this.pkg === 'aas' && !where.endsWith('Capacity') && !where.endsWith('Cooldown') &&
          !where.endsWith('ScalingAdjustment') && !where.endsWith('MinAdjustmentMagnitude')
          ? 'number'
          : DOUBLES.has(where) ? 'number' : 'integer' };
    }
    if (ts.isTypeReferenceNode(node)) {
      const refName = node.typeName.getText();
      if (refName === 'Date') return { type: 'string', format: 'date-time' };
      // Smithy documents: free-form JSON.
      if (refName === '__DocumentType') return {};
      if (refName === 'Record') return { type: 'object', additionalProperties: { type: 'string' } };
      const type = checker.getTypeFromTypeNode(node);
      if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) {
        return { type: 'string', enum: type.types.map((t) => (t as ts.StringLiteralType).value).sort() };
      }
      if (type.isUnion()) return this.taggedUnion(refName, type, where);
      if (type.isStringLiteral()) return { type: 'string', enum: [type.value] };
      return this.ref(refName);
    }
    throw new Error(`unsupported type at ${where}: ${node.getText()}`);
  }

  /** Smithy unions (`X.AMember | X.$UnknownMember`): an object with exactly one of the members. */
  taggedUnion(name: string, type: ts.UnionType, where: string): Json {
    const properties: Record<string, Json> = {};
    for (const member of type.types) {
      if (!(member.flags & ts.TypeFlags.Object) || member.getSymbol()?.getName().startsWith('__')) continue;
      for (const prop of member.getProperties()) {
        if (prop.name === '$unknown') continue;
        const decl = prop.valueDeclaration;
        if (!decl || !ts.isPropertySignature(decl) || !decl.type) continue;
        if (decl.type.kind === ts.SyntaxKind.NeverKeyword || decl.questionToken) continue;
        properties[prop.name] = this.type(decl.type, `${where}.${prop.name}`);
      }
    }
    void name;
    return { type: 'object', additionalProperties: false, minProperties: 1, maxProperties: 1, properties };
  }
}

const TAGS: Json = { $ref: '#/definitions/Tags' };
const TAGS_DEFINITION: Json = {
  type: 'object',
  description: 'Tags as a map of key to value (converted to the API\'s [{key, value}] list). Up to 50.',
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 128 },
  additionalProperties: { type: 'string', maxLength: 256 },
};

const NAME = '^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$';

function envelope(kind: string, spec: Json, definitions: Record<string, Json>, description: string): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://ecs-gitops.dev/schemas/${kind.toLowerCase()}.schema.json`,
    title: `ecs-gitops ${kind}`,
    description,
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'ecs-gitops/v1', description: 'Always ecs-gitops/v1.' },
      kind: { const: kind },
      metadata: { $ref: '#/definitions/Metadata' },
      spec,
    },
    definitions: { Metadata: METADATA, ...(kind === 'ScalingPolicy' ? {} : { Tags: TAGS_DEFINITION }), ...definitions },
  };
}

const METADATA: Json = {
  type: 'object',
  description: 'Identity of the manifest. metadata.name is unique per kind within the repository.',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      description:
        'Name of this manifest (lowercase letters, digits, "-" and "."; at most 253 characters). Other manifests refer to it by this name; the AWS name defaults to it.',
      pattern: NAME,
    },
    labels: {
      type: 'object',
      description: 'Free-form labels for grouping and selection; not sent to AWS.',
      additionalProperties: { type: 'string' },
    },
    annotations: {
      type: 'object',
      description:
        'Controller switches: ecs-gitops/sync (disabled), ecs-gitops/prune (disabled), ecs-gitops/drift (alert | heal | ignore), ecs-gitops/replace (allowed), ecs-gitops/adopt ("true"), ecs-gitops/external-cluster ("true", Service and Task), ecs-gitops/hook (PreSync | PostSync | SyncFail, Task only), ecs-gitops/hook-for (Service/NAME, comma-separated; Task only), ecs-gitops/hook-timeout (seconds, or 10m / 1h; Task only). Other keys are free-form.',
      additionalProperties: { type: 'string' },
    },
  },
};

const UNIT_CPU = '^\\s*(\\d+|\\d*\\.?\\d+\\s*[vV][cC][pP][uU])\\s*$';
const UNIT_MEMORY = '^\\s*(\\d+|\\d*\\.?\\d+\\s*([gG][bB]|[mM][bB]|[gG][iI][bB]|[mM][iI][bB]))\\s*$';

function cluster(): Json {
  const b = new Builder('ecs');
  const spec = b.object('CreateClusterRequest', ['tags']);
  const props = spec.properties as Record<string, Json>;
  props.clusterName = { ...props.clusterName, description: 'The cluster name in ECS. Defaults to metadata.name.' };
  props.tags = TAGS;
  return envelope('Cluster', spec, b.definitions, 'An ECS cluster (CreateCluster / UpdateCluster input).');
}

function capacityProvider(): Json {
  const b = new Builder('ecs');
  const spec = b.object('CreateCapacityProviderRequest', ['tags']);
  const props = spec.properties as Record<string, Json>;
  spec.required = ((spec.required as string[] | undefined) ?? []).filter((field) => field !== 'name');
  props.name = {
    ...props.name,
    description:
      'The capacity provider name in ECS (not starting with aws, ecs or fargate). Defaults to metadata.name.',
  };
  props.cluster = {
    ...props.cluster,
    description:
      'Managed Instances providers only: the Cluster manifest (its metadata.name) or an existing cluster the provider belongs to.',
  };
  props.tags = TAGS;
  // Exactly one of autoScalingGroupProvider / managedInstancesProvider: manifest/resource-rules.ts.
  return envelope(
    'CapacityProvider',
    spec,
    b.definitions,
    'An ECS capacity provider: an Auto Scaling group or Amazon ECS Managed Instances (CreateCapacityProvider / UpdateCapacityProvider input).',
  );
}

function taskDefinition(): Json {
  const b = new Builder('ecs');
  const spec = b.object('RegisterTaskDefinitionRequest', ['tags']);
  const props = spec.properties as Record<string, Json>;
  spec.required = (spec.required as string[]).filter((field) => field !== 'family');
  props.family = { ...props.family, description: 'Task definition family. Defaults to metadata.name.' };
  props.cpu = {
    ...props.cpu,
    type: ['string', 'integer'],
    pattern: UNIT_CPU,
    minimum: 128,
    description:
      'Task CPU: CPU units ("256", 1024) or vCPUs ("0.25 vCPU", "2 vCPU"). Required for Fargate, where it must pair with memory as ECS documents.',
  };
  props.memory = {
    ...props.memory,
    type: ['string', 'integer'],
    pattern: UNIT_MEMORY,
    minimum: 6,
    description:
      'Task memory: MiB ("512", 2048) or with a unit ("1 GB", "512 MiB"). Required for Fargate, where it must pair with cpu as ECS documents.',
  };
  props.tags = TAGS;
  props.revisionHistoryLimit = {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 10,
    description:
      'ecs-gitops: how many of the newest revisions this controller registered stay ACTIVE; older ones are deregistered. Default 10.',
  };
  return envelope(
    'TaskDefinition',
    spec,
    b.definitions,
    'An ECS task definition family (RegisterTaskDefinition input); each change registers a new revision.',
  );
}

function service(): Json {
  const b = new Builder('ecs');
  const spec = b.object('CreateServiceRequest', ['tags']);
  const props = spec.properties as Record<string, Json>;
  spec.required = ['cluster', 'taskDefinition'];
  props.serviceName = { ...props.serviceName, description: 'The service name in ECS. Defaults to metadata.name.' };
  props.cluster = {
    type: 'string',
    minLength: 1,
    description:
      'The Cluster manifest (its metadata.name) this service runs in, or an existing cluster by ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME). A bare name outside the repo needs the annotation ecs-gitops/external-cluster: "true".',
  };
  props.taskDefinition = {
    type: 'string',
    minLength: 1,
    description:
      'The TaskDefinition manifest (its metadata.name), or an external task definition as family:revision or a full task definition ARN.',
  };
  props.desiredCount = {
    ...props.desiredCount,
    description:
      'Number of tasks to keep running. Optional: when omitted, or when a ScalingPolicy targets this service, it is set on creation only and never diffed.',
  };
  props.tags = TAGS;
  // UpdateService-only members that describe state (not actions like forceNewDeployment) are accepted too.
  return envelope('Service', spec, b.definitions, 'An ECS service (CreateService / UpdateService input).');
}

function scalingPolicy(): Json {
  const b = new Builder('aas');
  const targetTracking = b.object('TargetTrackingScalingPolicyConfiguration');
  const ttProps = targetTracking.properties as Record<string, Json>;
  const stepScaling = b.object('StepScalingPolicyConfiguration');
  const scheduled = b.object('PutScheduledActionRequest', ['ServiceNamespace', 'ResourceId', 'ScalableDimension']);
  const scalableTarget = b.object('RegisterScalableTargetRequest', [
    'ServiceNamespace',
    'ResourceId',
    'ScalableDimension',
    'RoleARN',
    'Tags',
  ]);
  const policyName = {
    type: 'string',
    minLength: 1,
    maxLength: 256,
    pattern: '^[^:/]+$',
    description: 'Name of the scaling policy (PutScalingPolicy PolicyName); unique within this ScalingPolicy.',
  };
  const METRIC_TYPES = (
    (b.definitions.PredefinedMetricSpecification?.properties as Record<string, Json>).predefinedMetricType
      ?.enum as string[]
  ).filter((type) => type.startsWith('ECSService'));
  const tt: Json = {
    type: 'object',
    description:
      'A target tracking policy (PutScalingPolicy with TargetTrackingScalingPolicyConfiguration, camelCase). Give exactly one of predefinedMetricType (shorthand), predefinedMetricSpecification or customizedMetricSpecification.',
    additionalProperties: false,
    required: ['policyName', 'targetValue'],
    properties: {
      policyName,
      predefinedMetricType: {
        type: 'string',
        enum: METRIC_TYPES,
        description: 'Shorthand for predefinedMetricSpecification: {predefinedMetricType}.',
      },
      ...ttProps,
    },
  };
  const step: Json = {
    type: 'object',
    description:
      'A step scaling policy (PutScalingPolicy with StepScalingPolicyConfiguration, camelCase). Attach it to a CloudWatch alarm yourself.',
    additionalProperties: false,
    required: ['policyName', 'adjustmentType', 'stepAdjustments'],
    properties: { policyName, ...(stepScaling.properties as Record<string, Json>) },
  };
  const scheduledProps = scheduled.properties as Record<string, Json>;
  const scheduledAction: Json = {
    ...scheduled,
    description: 'A scheduled action (PutScheduledAction input, camelCase) on this service\'s scalable target.',
    required: ['scheduledActionName', 'schedule', 'scalableTargetAction'],
    properties: {
      ...scheduledProps,
      scheduledActionName: { ...scheduledProps.scheduledActionName, minLength: 1, maxLength: 256, pattern: '^[^:/]+$' },
    },
  };
  const targetProps = scalableTarget.properties as Record<string, Json>;
  const spec: Json = {
    type: 'object',
    description:
      'Autoscaling of one Service: a scalable target (service/<cluster>/<service>, ecs:service:DesiredCount) with its policies and scheduled actions.',
    additionalProperties: false,
    required: ['service', 'minCapacity', 'maxCapacity'],
    properties: {
      service: { type: 'string', minLength: 1, description: 'The Service manifest (its metadata.name) to scale.' },
      minCapacity: { ...targetProps.minCapacity, type: 'integer', minimum: 0 },
      maxCapacity: { ...targetProps.maxCapacity, type: 'integer', minimum: 0 },
      suspendedState: targetProps.suspendedState,
      targetTracking: { type: 'array', maxItems: 50, items: tt, description: 'Target tracking policies.' },
      stepScaling: { type: 'array', maxItems: 50, items: step, description: 'Step scaling policies.' },
      scheduledActions: {
        type: 'array',
        maxItems: 200,
        items: scheduledAction,
        description: 'Scheduled changes of minCapacity / maxCapacity.',
      },
    },
  };
  return envelope(
    'ScalingPolicy',
    spec,
    b.definitions,
    'Application Auto Scaling for one ECS Service (RegisterScalableTarget + PutScalingPolicy + PutScheduledAction).',
  );
}

/** The Task kind: RunTask input; the controller supplies clientToken and startedBy. */
function task(): Json {
  const b = new Builder('ecs');
  const spec = b.object('RunTaskRequest', ['tags', 'clientToken', 'startedBy']);
  const props = spec.properties as Record<string, Json>;
  spec.required = ['cluster', 'taskDefinition'];
  props.cluster = {
    type: 'string',
    minLength: 1,
    description:
      'The Cluster manifest (its metadata.name) to run in, or an existing cluster by ARN; a bare name outside the repo needs the annotation ecs-gitops/external-cluster: "true".',
  };
  props.taskDefinition = {
    type: 'string',
    minLength: 1,
    description:
      'The TaskDefinition manifest (its metadata.name), or an external task definition as family:revision or a full task definition ARN.',
  };
  props.count = { ...props.count, minimum: 1, maximum: 10 };
  props.tags = TAGS;
  return envelope(
    'Task',
    spec,
    b.definitions,
    'A task that runs to completion (RunTask input). With the annotation ecs-gitops/hook: PreSync | PostSync | SyncFail it runs around the deploy of the services it guards (ecs-gitops/hook-for), once per revision; `ecs-gitops run-task Task/NAME` runs it on demand.',
  );
}

/**
 * The ScheduledTask kind: CreateSchedule input with an ECS target (EventBridge Scheduler API
 * 2021-06-30), camelCase like every other spec; target.cluster / target.taskDefinition are references.
 */
function scheduledTask(): Json {
  const b = new Builder('ecs');
  const networkConfiguration = b.ref('NetworkConfiguration');
  const strategyItem = b.ref('CapacityProviderStrategyItem');
  const placementConstraint = b.ref('PlacementConstraint');
  const placementStrategy = b.ref('PlacementStrategy');
  const overrides = b.ref('TaskOverride');
  const target: Json = {
    type: 'object',
    additionalProperties: false,
    required: ['cluster', 'taskDefinition', 'roleArn'],
    description: 'The ECS target: the RunTask the schedule makes (EcsParameters), its role, retries and dead-letter queue.',
    properties: {
      cluster: { type: 'string', minLength: 1, description: 'The Cluster manifest (its metadata.name), or an existing cluster by ARN.' },
      taskDefinition: {
        type: 'string',
        minLength: 1,
        description: 'The TaskDefinition manifest (its metadata.name: the schedule follows its newest revision), or family:revision / a task definition ARN.',
      },
      roleArn: {
        type: 'string',
        pattern: '^arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+$',
        description: 'The IAM role EventBridge Scheduler assumes to run the task (ecs:RunTask, iam:PassRole).',
      },
      taskCount: { type: 'integer', minimum: 1, maximum: 10, default: 1, description: 'Tasks per invocation. Default 1.' },
      launchType: { enum: ['EC2', 'FARGATE', 'EXTERNAL'], description: 'The launch type (or capacityProviderStrategy).' },
      platformVersion: { type: 'string', minLength: 1, maxLength: 64, description: 'Fargate platform version.' },
      group: { type: 'string', minLength: 1, maxLength: 255, description: 'The task group.' },
      capacityProviderStrategy: { type: 'array', maxItems: 6, items: strategyItem },
      networkConfiguration,
      enableECSManagedTags: { type: 'boolean' },
      enableExecuteCommand: { type: 'boolean' },
      propagateTags: { enum: ['TASK_DEFINITION'] },
      referenceId: { type: 'string', maxLength: 1024 },
      placementConstraints: { type: 'array', maxItems: 10, items: placementConstraint },
      placementStrategy: { type: 'array', maxItems: 5, items: placementStrategy },
      overrides,
      tags: { ...TAGS, description: 'Tags of the tasks the schedule starts (the controller adds its ownership record).' },
      retryPolicy: {
        type: 'object',
        additionalProperties: false,
        properties: {
          maximumEventAgeInSeconds: { type: 'integer', minimum: 60, maximum: 86400, default: 86400 },
          maximumRetryAttempts: { type: 'integer', minimum: 0, maximum: 185, default: 185 },
        },
      },
      deadLetterConfig: {
        type: 'object',
        additionalProperties: false,
        properties: { arn: { type: 'string', pattern: '^arn:aws(-[a-z]+)?:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+$' } },
      },
    },
  };
  const spec: Json = {
    type: 'object',
    additionalProperties: false,
    required: ['scheduleExpression', 'target'],
    description: 'An EventBridge Scheduler schedule that runs an ECS task, in the controller\'s own schedule group.',
    properties: {
      scheduleName: {
        type: 'string',
        pattern: '^[0-9a-zA-Z-_.]{1,64}$',
        description: 'The schedule name in EventBridge Scheduler. Defaults to metadata.name.',
      },
      scheduleExpression: { type: 'string', minLength: 1, maxLength: 256, description: 'at(...), rate(...) or cron(...).' },
      scheduleExpressionTimezone: { type: 'string', minLength: 1, maxLength: 50, default: 'UTC', description: 'IANA timezone of the expression. Default UTC.' },
      description: { type: 'string', maxLength: 512 },
      state: { enum: ['ENABLED', 'DISABLED'], default: 'ENABLED' },
      startDate: { type: 'string', format: 'date-time', description: 'No invocation before this time (ISO 8601).' },
      endDate: { type: 'string', format: 'date-time', description: 'No invocation after this time (ISO 8601).' },
      kmsKeyArn: { type: 'string', maxLength: 2048 },
      flexibleTimeWindow: {
        type: 'object',
        additionalProperties: false,
        required: ['mode'],
        properties: {
          mode: { enum: ['OFF', 'FLEXIBLE'] },
          maximumWindowInMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
        },
        description: 'Default {mode: OFF}.',
      },
      target,
    },
  };
  return envelope('ScheduledTask', spec, b.definitions, 'A task that runs on a schedule (EventBridge Scheduler CreateSchedule with an ECS target).');
}

/** Prefixes end where the name begins, so they may end in "-" or "."; suffixes may start with one. */
const NAME_PREFIX = '^[a-z0-9][a-z0-9.-]{0,62}$';
const NAME_SUFFIX = '^[a-z0-9.-]{0,62}[a-z0-9]$';
const VAR_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';

/** The Overlay kind (`ecs-gitops.yaml`): hand-written, it has no AWS API shape to mirror. */
function overlay(): Json {
  const strings: Json = { type: 'object', additionalProperties: { type: 'string' } };
  const spec: Json = {
    type: 'object',
    additionalProperties: false,
    required: ['resources'],
    description: 'How this folder\'s environment is built from other folders of the repository.',
    properties: {
      resources: {
        type: 'array',
        minItems: 1,
        description:
          'Folders or files, relative to this folder and inside the repository: plain manifests, or folders with an ecs-gitops.yaml of their own (overlays stack).',
        items: { type: 'string', minLength: 1 },
      },
      patches: {
        type: 'array',
        description: 'Applied in order to the documents the resources produced.',
        items: { $ref: '#/definitions/Patch' },
      },
      images: {
        type: 'array',
        description: 'Image overrides, as Kustomize\'s images transformer: matched by image name (without tag or digest).',
        items: { $ref: '#/definitions/Image' },
      },
      vars: {
        type: 'object',
        description:
          'Values for ${NAME} references in the resources and patches. A value, or {env: NAME, default?} to read the controller\'s environment. Undefined references are errors; $${ writes a literal ${.',
        propertyNames: { pattern: VAR_NAME },
        additionalProperties: {
          anyOf: [
            { type: ['string', 'number', 'boolean'] },
            {
              type: 'object',
              additionalProperties: false,
              required: ['env'],
              properties: {
                env: { type: 'string', pattern: VAR_NAME, description: 'Environment variable to read.' },
                default: { type: 'string', description: 'Used when the variable is not set.' },
              },
            },
          ],
        },
      },
      namePrefix: {
        type: 'string',
        pattern: NAME_PREFIX,
        description: 'Prepended to every metadata.name (and so to AWS names that default to it); references follow.',
      },
      nameSuffix: { type: 'string', pattern: NAME_SUFFIX, description: 'Appended to every metadata.name.' },
      commonLabels: { ...strings, description: 'Set on every document\'s metadata.labels (they win over the documents\' own).' },
      commonTags: { ...TAGS, description: 'Set on every taggable resource\'s spec.tags (they win over the documents\' own).' },
    },
  };
  const patch: Json = {
    type: 'object',
    additionalProperties: false,
    description: 'One of merge (strategic merge), jsonPatch (RFC 6902) or path (a file holding either).',
    properties: {
      target: {
        type: 'object',
        additionalProperties: false,
        description: 'Which documents the patch applies to; every given field must match.',
        properties: {
          kind: { type: 'string', description: 'Cluster, TaskDefinition, Service, ScalingPolicy …' },
          name: { type: 'string', description: 'metadata.name as the resources produced it.' },
          labelSelector: { type: 'string', description: 'app=web,tier!=batch,canary (=, != and existence).' },
        },
      },
      merge: {
        type: 'object',
        description:
          'A partial document. Lists merge by their ECS key (containers, ports, environment, secrets, volumes … by name); null removes a field; {name: x, $patch: delete} removes a list item.',
      },
      jsonPatch: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['op', 'path'],
          properties: {
            op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
            path: { type: 'string', description: 'JSON pointer, e.g. /spec/containerDefinitions/0/cpu.' },
            from: { type: 'string' },
            value: { description: 'For add, replace and test.' },
          },
        },
      },
      path: { type: 'string', minLength: 1, description: 'A patch file relative to this folder.' },
    },
  };
  const image: Json = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, description: 'The image as written in the base, without tag or digest.' },
      newName: { type: 'string', minLength: 1, description: 'Another repository for it.' },
      newTag: { type: 'string', minLength: 1, description: 'The tag to run.' },
      digest: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$', description: 'Pin by digest (wins over any tag).' },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ecs-gitops.dev/schemas/overlay.schema.json',
    title: 'ecs-gitops Overlay',
    description: 'ecs-gitops.yaml: builds this folder\'s environment from other folders (resources, patches, images, vars, names, common tags).',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'ecs-gitops/v1', description: 'Always ecs-gitops/v1.' },
      kind: { const: 'Overlay' },
      metadata: { $ref: '#/definitions/Metadata' },
      spec,
    },
    definitions: { Metadata: METADATA, Tags: TAGS_DEFINITION, Patch: patch, Image: image },
  };
}

const KINDS: Record<string, () => Json> = {
  'capacity-provider': capacityProvider,
  cluster,
  'task-definition': taskDefinition,
  service,
  'scaling-policy': scalingPolicy,
  task,
  'scheduled-task': scheduledTask,
  overlay,
};

/**
 * One self-contained schema for editors: `kind` picks the kind's schema. The per-kind definitions are
 * merged; shapes with the same name come from the same SDK model and must be identical.
 */
function combined(schemas: Record<string, Json>): Json {
  const definitions: Record<string, Json> = {};
  const allOf: Json[] = [];
  for (const schema of Object.values(schemas)) {
    const { $schema, $id, definitions: defs, ...rest } = schema;
    void $schema;
    void $id;
    const kind = (rest.properties as { kind: { const: string } }).kind.const;
    for (const [name, def] of Object.entries(defs as Record<string, Json>)) {
      const existing = definitions[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(def)) {
        throw new Error(`definition ${name} differs between kinds`);
      }
      definitions[name] = def;
    }
    if (definitions[kind]) throw new Error(`definition name ${kind} clashes with a kind`);
    definitions[kind] = rest;
    allOf.push({
      if: { required: ['kind'], properties: { kind: { const: kind } } },
      then: { $ref: `#/definitions/${kind}` },
    });
  }
  const kinds = Object.values(schemas).map(
    (schema) => (schema.properties as { kind: { const: string } }).kind.const,
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ecs-gitops.dev/schemas/ecs-gitops.schema.json',
    title: 'ecs-gitops manifest',
    description: `An ecs-gitops manifest: one of ${kinds.join(', ')}. Use with yaml-language-server.`,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: 'ecs-gitops/v1', description: 'Always ecs-gitops/v1.' },
      kind: { enum: kinds, description: 'What this manifest describes.' },
      metadata: { $ref: '#/definitions/Metadata' },
      spec: { type: 'object', description: 'The desired state; its shape depends on kind.' },
    },
    allOf,
    definitions,
  };
}

export function generateSchemas(): Record<string, Json> {
  const schemas: Record<string, Json> = {};
  for (const [file, build] of Object.entries(KINDS)) schemas[file] = build();
  return { ...schemas, 'ecs-gitops': combined(schemas) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written: string[] = [];
  for (const [file, schema] of Object.entries(generateSchemas())) {
    writeFileSync(join(root, 'schemas', `${file}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
    written.push(`schemas/${file}.schema.json`);
  }
  console.log(`wrote ${written.join(', ')}`);
}
