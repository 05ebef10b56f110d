// Identities of AWS objects as the controller keys them.

/** The key of `LiveState.services`: `${clusterName}/${serviceName}`. */
export function serviceKey(clusterName: string, serviceName: string): string {
  return `${clusterName}/${serviceName}`;
}

/** Application Auto Scaling's ResourceId of an ECS service. */
export function serviceResourceId(clusterName: string, serviceName: string): string {
  return `service/${clusterName}/${serviceName}`;
}
