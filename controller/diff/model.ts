// The result of comparing one desired resource with its live counterpart. Pure data.
import type { DesiredResource } from '../manifest/model.js';
import type { Action, ResourceKey } from '../types.js';

/**
 * One changed field. `path` is relative to the spec, dotted, with list items named by their
 * identity where ECS gives them one: `containerDefinitions[web].image`, `environment[LOG_LEVEL]`,
 * `targetTracking[cpu60].targetValue`; positional otherwise: `subnets[0]`.
 */
export interface FieldChange {
  readonly path: string;
  readonly op: 'add' | 'remove' | 'change';
  /** Normalized desired value (absent for `remove`). */
  readonly desired?: unknown;
  /** Normalized live value (absent for `add`). */
  readonly live?: unknown;
  /** The field is create-only: changing it means replacing the resource. */
  readonly createOnly?: boolean;
  /** The value looks like a secret: printers mask it. */
  readonly sensitive?: boolean;
}

/** Which task definition revision a Service should run after this plan. */
export interface TaskDefinitionTarget {
  readonly family: string;
  /** An existing revision whose content equals the desired one (no registration needed). */
  readonly arn?: string;
  /** True when the desired content matches no ACTIVE revision: the plan registers a new one. */
  readonly register: boolean;
  /**
   * Content fingerprint of the desired task definition (sha256 hex of its normalized form, family
   * included): stable across runs, used for CreateService clientTokens and to tag revisions.
   * Absent for external references (`family:revision` / ARN).
   */
  readonly fingerprint?: string;
}

export interface ResourceDiff {
  readonly key: ResourceKey;
  readonly action: Action;
  readonly changes: readonly FieldChange[];
  /** Why the action is `replace` (one line per create-only field). */
  readonly replaceReasons: readonly string[];
  /** Live carries `ecs-gitops/managed-by=<this instance>`; undefined when there is no live object. */
  readonly owned?: boolean;
  /** The live identity (ARN) when the resource exists. */
  readonly liveArn?: string;
  readonly desired?: DesiredResource;
  /** For Services: the revision to run. For TaskDefinitions: the revision that matches (if any). */
  readonly taskDefinition?: TaskDefinitionTarget;
  /**
   * Deletes and orphan replaces: the live resource is tagged `ecs-gitops/prune=disabled` (written
   * while its manifest said `ecs-gitops/prune: disabled`), so it is never deleted.
   */
  readonly pruneProtected?: boolean;
}
