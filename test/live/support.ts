// Shared pieces of the live/ integration tests: controller clients (with the call counter) against
// the test emulator, and manifests parsed by the real manifest loader.
import { AwsCallCounter, type AwsClients, createAwsClients } from '../../controller/aws/clients.js';
import { parseManifests } from '../../controller/manifest/index.js';
import type { DesiredState } from '../../controller/manifest/model.js';

export function controllerClients(url: string): AwsClients {
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  return createAwsClients({ region: 'us-east-1', endpointUrl: url, maxAttempts: 3 }, new AwsCallCounter(), {
    rateLimiter: false,
  });
}

export function desiredFrom(files: Record<string, string>, revision = 'test'): DesiredState {
  const result = parseManifests(
    Object.entries(files).map(([path, content]) => ({ path, content: Buffer.from(content) })),
    { revision },
  );
  if (!result.ok)
    throw new Error(
      result.problems.map((p) => `${p.location.file}:${p.location.line}: ${p.message}`).join('\n'),
    );
  return result.desired;
}

export const OWNED_TAGS = [{ key: 'ecs-gitops/managed-by', value: 'ecs-gitops' }];
