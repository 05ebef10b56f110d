// The writes of a deployment gate: ContinueServiceDeployment (CONTINUE / ROLLBACK a PAUSE hook) and
// StopServiceDeployment (ROLLBACK a deployment that does not wait at a gate).
import { ContinueServiceDeploymentCommand, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { toAwsError } from '../aws/clients.js';

export async function continueServiceDeployment(
  clients: AwsClients,
  serviceDeploymentArn: string,
  hookId: string,
  action: 'CONTINUE' | 'ROLLBACK',
): Promise<void> {
  try {
    await clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action }));
  } catch (error) {
    throw toAwsError('ContinueServiceDeployment', error);
  }
}

export async function rollBackServiceDeployment(
  clients: AwsClients,
  serviceDeploymentArn: string,
): Promise<void> {
  try {
    await clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }));
  } catch (error) {
    throw toAwsError('StopServiceDeployment', error);
  }
}
