// The smallest fleet a deploy test needs, as one YAML file: a Cluster, a Fargate TaskDefinition
// `web` with one container and a Service `web` on it. Tests vary the parts they are about (the
// image, the roles, a load balancer, the deployment configuration) and keep the rest the same.

export interface WebFleetOptions {
  /** The cluster's name (default `prod`). */
  readonly cluster?: string;
  /** The web container's image (default nginx 1.27 from ECR Public). */
  readonly image?: string;
  readonly executionRoleArn?: string;
  readonly taskRoleArn?: string;
  /** A load balancer for the service, on the web container. */
  readonly targetGroupArn?: string;
  /** The container port (and the load balancer's), default 80. */
  readonly containerPort?: number;
  /** Extra lines of the Service's spec, written as they are (two-space indent included). */
  readonly serviceSpec?: string;
}

export function webFleet(options: WebFleetOptions = {}): string {
  const cluster = options.cluster ?? 'prod';
  const port = options.containerPort ?? 80;
  const roles = [
    options.executionRoleArn ? `  executionRoleArn: ${options.executionRoleArn}\n` : '',
    options.taskRoleArn ? `  taskRoleArn: ${options.taskRoleArn}\n` : '',
  ].join('');
  const loadBalancers = options.targetGroupArn
    ? `  loadBalancers:\n    - {targetGroupArn: "${options.targetGroupArn}", containerName: web, containerPort: ${port}}\n`
    : '';
  return `apiVersion: ecs-gitops/v1
kind: Cluster
metadata: {name: ${cluster}}
spec: {}
---
apiVersion: ecs-gitops/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  requiresCompatibilities: [FARGATE]
  networkMode: awsvpc
  cpu: "256"
  memory: "512"
${roles}  containerDefinitions:
    - name: web
      image: "${options.image ?? 'public.ecr.aws/nginx/nginx:1.27'}"
      portMappings: [{containerPort: ${port}}]
---
apiVersion: ecs-gitops/v1
kind: Service
metadata: {name: web}
spec:
  cluster: ${cluster}
  taskDefinition: web
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration:
    awsvpcConfiguration: {subnets: [subnet-0abc], securityGroups: [sg-0abc]}
${loadBalancers}${options.serviceSpec ?? ''}`;
}
