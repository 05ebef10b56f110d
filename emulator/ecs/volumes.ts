// Task definition volumes as DescribeTaskDefinition returns them: EFS volumes get the defaults ECS
// fills in (rootDirectory "/", transitEncryption DISABLED, authorizationConfig.iam DISABLED) and the
// rules of the EFSVolumeConfiguration reference (IAM or an access point need transit encryption).
import type { Json, JsonObject } from '../state.js';
import { clientException } from '../wire/errors.js';
import { clone } from '../wire/input.js';

const ON_OFF = new Set(['ENABLED', 'DISABLED']);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalizeEfs(raw: JsonObject, volumeName: string): JsonObject {
  const efs = clone(raw);
  if (typeof efs.fileSystemId !== 'string' || efs.fileSystemId === '') {
    throw clientException(`The fileSystemId for volume '${volumeName}' must be specified.`);
  }
  efs.rootDirectory = typeof efs.rootDirectory === 'string' ? efs.rootDirectory : '/';
  const transit = efs.transitEncryption ?? 'DISABLED';
  if (typeof transit !== 'string' || !ON_OFF.has(transit)) {
    throw clientException(`Invalid transitEncryption value for volume '${volumeName}'.`);
  }
  efs.transitEncryption = transit;
  if (isObject(efs.authorizationConfig)) {
    const auth = efs.authorizationConfig;
    const iam = auth.iam ?? 'DISABLED';
    if (typeof iam !== 'string' || !ON_OFF.has(iam)) {
      throw clientException(`Invalid authorizationConfig.iam value for volume '${volumeName}'.`);
    }
    auth.iam = iam;
    const accessPoint = typeof auth.accessPointId === 'string' && auth.accessPointId !== '';
    if ((iam === 'ENABLED' || accessPoint) && transit !== 'ENABLED') {
      throw clientException(
        `Transit encryption must be enabled for volume '${volumeName}' when IAM authorization or an access point is used.`,
      );
    }
    if (accessPoint && efs.rootDirectory !== '/') {
      throw clientException(
        `The root directory for volume '${volumeName}' must be omitted or set to '/' when an access point is used.`,
      );
    }
  }
  return efs;
}

export function normalizeVolumes(volumes: readonly JsonObject[]): JsonObject[] {
  return volumes.map((raw) => {
    const volume = clone(raw);
    const name = String(volume.name ?? '');
    if (isObject(volume.efsVolumeConfiguration)) {
      volume.efsVolumeConfiguration = normalizeEfs(volume.efsVolumeConfiguration, name);
    }
    return volume;
  });
}
