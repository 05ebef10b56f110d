// Every failed AWS call leaves the clients as an AwsError that says whether retrying can help,
// decided once in aws/clients.ts; checked over the real SDK against the emulator.

import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateServiceCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, createAwsClients } from '../../controller/aws/clients.js';
import { AwsError } from '../../controller/errors.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';

let emulator: TestEmulator;
let clients: AwsClients;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  emulator = await startTestEmulator();
  clients = createAwsClients({ region: 'us-east-1', endpointUrl: emulator.url, maxAttempts: 1 }, undefined, {
    rateLimiter: false,
  });
});

afterAll(async () => {
  clients.destroy();
  await emulator.close();
});

async function failure(promise: Promise<unknown>): Promise<AwsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AwsError);
  return error as AwsError;
}

describe('AWS error classification', () => {
  it('given a request ECS rejects as invalid, then the error is terminal and keeps the AWS code and message', async () => {
    const error = await failure(
      clients.ecs.send(
        new CreateServiceCommand({ serviceName: 'web', taskDefinition: 'nope:1', cluster: 'missing' }),
      ),
    );
    expect(error.operation).toBe('CreateService');
    expect(['ClusterNotFoundException', 'ClientException', 'InvalidParameterException']).toContain(
      error.awsCode,
    );
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('given a validation error from Application Auto Scaling, then it is terminal', async () => {
    const error = await failure(
      clients.autoscaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'not-a-namespace' as never }),
      ),
    );
    expect(error.awsCode).toBe('ValidationException');
    expect(error.retryable).toBe(false);
  });

  it('given throttling or a server error, then the error is retryable', async () => {
    await emulator.fault({ operation: 'ecs:ListClusters', kind: 'throttle', count: 1 });
    const throttled = await failure(clients.ecs.send(new ListClustersCommand({})));
    expect(throttled).toMatchObject({ awsCode: 'ThrottlingException', retryable: true });

    await emulator.fault({ operation: 'ecs:ListClusters', kind: 'server-error', count: 1 });
    const server = await failure(clients.ecs.send(new ListClustersCommand({})));
    expect(server).toMatchObject({ awsCode: 'ServerException', httpStatus: 500, retryable: true });
  });
});
