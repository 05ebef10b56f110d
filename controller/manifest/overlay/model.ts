// The Overlay kind (`ecs-gitops.yaml`): how one environment is built from other folders. Shapes only;
// schemas/overlay.schema.json is the contract, render.ts the behaviour.
import type { ManifestProblem } from '../../errors.js';
import type { SourceLocation } from '../../types.js';

export const OVERLAY_KIND = 'Overlay';
/** The file that makes a folder an overlay. */
export const OVERLAY_FILE = 'ecs-gitops.yaml';

/** Which documents a patch applies to. Every given field must match. */
export interface PatchTarget {
  readonly kind?: string;
  readonly name?: string;
  /** `app=web,tier!=batch,canary` — equality, inequality and existence of metadata.labels. */
  readonly labelSelector?: string;
}

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

export interface PatchSpec {
  readonly target?: PatchTarget;
  /** A strategic merge patch: a partial document (`spec: {...}`, `metadata: {labels: ...}`). */
  readonly merge?: Record<string, unknown>;
  /** RFC 6902 operations. */
  readonly jsonPatch?: readonly JsonPatchOperation[];
  /** A file (relative to the overlay folder) holding a merge patch (a mapping) or a JSON patch (a list). */
  readonly path?: string;
}

/** Kustomize's images transformer: matched by the image name as written, without tag or digest. */
export interface ImageSpec {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

export type VarSpec = string | number | boolean | { readonly env: string; readonly default?: string };

export interface OverlaySpec {
  readonly resources: readonly string[];
  readonly patches?: readonly PatchSpec[];
  readonly images?: readonly ImageSpec[];
  readonly vars?: Readonly<Record<string, VarSpec>>;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly commonLabels?: Readonly<Record<string, string>>;
  readonly commonTags?: Readonly<Record<string, string>>;
}

/** Where each node of a document was written: JSON pointer → file:line:col (any file of the revision). */
export interface Origins {
  readonly value: Map<string, SourceLocation>;
  readonly key: Map<string, SourceLocation>;
}

/** A document being rendered: its value and, for every node, where it was written. */
export interface Sourced {
  value: unknown;
  readonly origins: Origins;
  /** The file and document index it started from (its ecs-gitops/source). */
  readonly file: string;
  readonly index: number;
}

/** What the renderer reads: every file it may need, by repository-relative `/`-separated path. */
export interface RevisionFiles {
  readonly files: ReadonlyMap<string, Buffer | string>;
}

export type RenderResult =
  | { readonly ok: true; readonly documents: readonly Sourced[]; readonly used: readonly string[] }
  | { readonly ok: false; readonly problems: readonly ManifestProblem[]; readonly used: readonly string[] };
