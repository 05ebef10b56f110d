// Amazon ECR (AmazonEC2ContainerRegistry_V20150921, AWS JSON 1.1): repositories and images, enough
// for a preflight to ask whether an image tag or digest exists. PutImage stores a manifest under a
// tag (the digest is the manifest's sha256, as a registry computes it); DescribeImages looks images
// up by tag or digest and fails the whole call on the first missing one, like ECR.
import { createHash } from 'node:crypto';
import type { OpContext } from '../context.js';
import type { Json, JsonObject, RegionState } from '../state.js';
import { ApiError } from '../wire/errors.js';
import { Input } from '../wire/input.js';

export interface RepositoryRecord {
  repository: JsonObject;
  /** digest → image (imageManifest, imageTags, pushedAt). */
  images: Record<string, { imageManifest: string; imageTags: string[]; pushedAt: number; size: number }>;
}

const invalid = (message: string) => new ApiError('InvalidParameterException', message);
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function repositories(region: RegionState): Record<string, RepositoryRecord> {
  region.ecrRepositories ??= {};
  return region.ecrRepositories as unknown as Record<string, RepositoryRecord>;
}

function registryOf(ctx: OpContext, input: Input): string {
  return input.string('registryId') ?? ctx.accountId;
}

function find(ctx: OpContext, input: Input): RepositoryRecord {
  const name = input.requiredString('repositoryName');
  const registry = registryOf(ctx, input);
  const found = registry === ctx.accountId ? repositories(ctx.region)[name] : undefined;
  if (!found) {
    throw new ApiError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${registry}'`,
    );
  }
  return found;
}

export function createRepository(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const name = input.requiredString('repositoryName');
  if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
    throw invalid(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source}''`,
    );
  }
  const all = repositories(ctx.region);
  if (all[name]) {
    throw new ApiError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${ctx.accountId}'`,
    );
  }
  const repository: JsonObject = {
    repositoryArn: `arn:aws:ecr:${ctx.regionName}:${ctx.accountId}:repository/${name}`,
    registryId: ctx.accountId,
    repositoryName: name,
    repositoryUri: `${ctx.accountId}.dkr.ecr.${ctx.regionName}.amazonaws.com/${name}`,
    createdAt: ctx.nowMs / 1000,
    imageTagMutability: input.string('imageTagMutability') ?? 'MUTABLE',
  };
  all[name] = { repository, images: {} };
  return { repository };
}

export function putImage(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const repo = find(ctx, input);
  const manifest = input.requiredString('imageManifest');
  const tag = input.string('imageTag');
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  if (tag) {
    for (const image of Object.values(repo.images))
      image.imageTags = image.imageTags.filter((t) => t !== tag);
  }
  const existing = repo.images[digest];
  repo.images[digest] = {
    imageManifest: manifest,
    imageTags: [...new Set([...(existing?.imageTags ?? []), ...(tag ? [tag] : [])])],
    pushedAt: existing?.pushedAt ?? ctx.nowMs / 1000,
    size: Buffer.byteLength(manifest),
  };
  return {
    image: {
      registryId: ctx.accountId,
      repositoryName: repo.repository.repositoryName as string,
      imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) },
      imageManifest: manifest,
    },
  };
}

export function describeImages(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body, invalid);
  const repo = find(ctx, input);
  const name = repo.repository.repositoryName as string;
  const ids = input.objects('imageIds');
  const detail = (digest: string) => {
    const image = repo.images[digest]!;
    return {
      registryId: ctx.accountId,
      repositoryName: name,
      imageDigest: digest,
      ...(image.imageTags.length > 0 ? { imageTags: image.imageTags } : {}),
      imageSizeInBytes: image.size,
      imagePushedAt: image.pushedAt,
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    };
  };
  if (!ids || ids.length === 0) return { imageDetails: Object.keys(repo.images).map(detail) };
  const digests = ids.map((id) => {
    const tag = typeof id.imageTag === 'string' ? id.imageTag : undefined;
    const wanted = typeof id.imageDigest === 'string' ? id.imageDigest : undefined;
    const digest = wanted
      ? repo.images[wanted]
        ? wanted
        : undefined
      : Object.keys(repo.images).find((d) => tag !== undefined && repo.images[d]!.imageTags.includes(tag));
    if (!digest) {
      throw new ApiError(
        'ImageNotFoundException',
        `The image with imageId {imageDigest:'${wanted ?? 'null'}', imageTag:'${tag ?? 'null'}'} does not exist within the repository with name '${name}' in the registry with id '${ctx.accountId}'`,
      );
    }
    return digest;
  });
  return { imageDetails: [...new Set(digests)].map(detail) };
}
