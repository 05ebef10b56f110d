// The benchmark estate: clusters of 100 Fargate services, one task definition per service (3
// containers, 20 environment variables and a secret each, health checks, awslogs), a target-tracking
// ScalingPolicy on every third service. One file per service, as teams lay out real repositories,
// so a one-service commit changes one file.

export const SERVICES_PER_CLUSTER = 100;

export interface EstateShape {
  /** Total services (clusters of up to 100). */
  readonly services: number;
}

export interface EstateService {
  readonly cluster: string;
  readonly name: string;
  /** Path of its file in the repository. */
  readonly file: string;
  readonly scaled: boolean;
}

export interface Estate {
  readonly clusters: readonly string[];
  readonly services: readonly EstateService[];
  /** Path → YAML. */
  readonly files: Readonly<Record<string, string>>;
  /** Cluster + TaskDefinition + Service + ScalingPolicy manifests. */
  readonly resources: number;
  /** ScalingPolicy manifests (each: one scalable target + one policy). */
  readonly scalingPolicies: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function container(service: string, role: string, port: number, image: string): string {
  const env = Array.from(
    { length: 20 },
    (_, i) =>
      `        - {name: ${role.toUpperCase()}_SETTING_${pad(i, 2)}, value: "${service}-${role}-${i}"}`,
  ).join('\n');
  return `    - name: ${role}
      image: ${image}
      essential: ${role === 'app' ? 'true' : 'false'}
      cpu: ${role === 'app' ? 256 : 128}
      memory: ${role === 'app' ? 512 : 256}
      portMappings:
        - {containerPort: ${port}, protocol: tcp}
      environment:
${env}
      secrets:
        - {name: ${role.toUpperCase()}_TOKEN, valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:${service}/${role}-token"}
      healthCheck:
        command: [CMD-SHELL, "wget -qO- http://localhost:${port}/health || exit 1"]
        interval: 30
        timeout: 5
        retries: 3
        startPeriod: 15
      logConfiguration:
        logDriver: awslogs
        options:
          awslogs-group: /ecs/${service}
          awslogs-region: us-east-1
          awslogs-stream-prefix: ${role}
`;
}

/** The image tag a service runs; `imageTag` overrides it (a deploy). */
export function serviceFile(service: EstateService, imageTag = '1.0.0'): string {
  const { cluster, name } = service;
  const docs = [
    `apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: ${name}}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "1024"
  memory: "2048"
  executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
  taskRoleArn: arn:aws:iam::123456789012:role/${name}
  containerDefinitions:
${container(name, 'app', 8080, `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:${imageTag}`)}${container(name, 'proxy', 9090, 'public.ecr.aws/envoyproxy/envoy:v1.31.0')}${container(name, 'agent', 9100, 'public.ecr.aws/datadog/agent:7.57.0')}`,
    `apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: ${name}}
spec:
  cluster: ${cluster}
  taskDefinition: ${name}
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0a1b2c3d, subnet-0e4f5a6b], securityGroups: [sg-0a1b2c3d]}
  deploymentConfiguration:
    deploymentCircuitBreaker: {enable: true, rollback: true}
  tags: {team: team-${cluster}, service: ${name}}
`,
  ];
  if (service.scaled) {
    docs.push(`apiVersion: ecs-gitops/v1
kind: ScalingPolicy
metadata: {name: ${name}}
spec:
  service: ${name}
  minCapacity: 1
  maxCapacity: 10
  targetTracking:
    - {policyName: cpu60, predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 60, scaleInCooldown: 120, scaleOutCooldown: 60}
`);
  }
  return docs.join('---\n');
}

export function generateEstate(shape: EstateShape, imageTag?: (service: EstateService) => string): Estate {
  const clusterCount = Math.max(1, Math.ceil(shape.services / SERVICES_PER_CLUSTER));
  const clusters = Array.from({ length: clusterCount }, (_, c) => `c${pad(c, 2)}`);
  const services: EstateService[] = [];
  for (let i = 0; i < shape.services; i += 1) {
    const cluster = clusters[Math.floor(i / SERVICES_PER_CLUSTER)] as string;
    const name = `${cluster}-svc-${pad(i % SERVICES_PER_CLUSTER, 3)}`;
    services.push({ cluster, name, file: `services/${cluster}/${name}.yaml`, scaled: i % 3 === 0 });
  }
  const files: Record<string, string> = {
    'clusters.yaml': clusters
      .map(
        (name) => `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: ${name}}
spec:
  settings: [{name: containerInsights, value: enabled}]
  tags: {team: team-${name}}
`,
      )
      .join('---\n'),
  };
  for (const service of services) files[service.file] = serviceFile(service, imageTag?.(service));
  const scalingPolicies = services.filter((s) => s.scaled).length;
  return {
    clusters,
    services,
    files,
    resources: clusters.length + 2 * services.length + scalingPolicies,
    scalingPolicies,
  };
}
