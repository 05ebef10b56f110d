// The result of comparing one desired resource with its live counterpart. Pure data.
import type { DesiredOf } from '../manifest/model.js';
import type { Action, Kind, ResourceKeyOf } from '../types.js';

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

/** What every ResourceDiff carries, whatever its action. */
interface DiffCommon<K extends Kind> {
  readonly key: ResourceKeyOf<K>;
  readonly changes: readonly FieldChange[];
  /** Why the action is `replace` (one line per create-only field). */
  readonly replaceReasons: readonly string[];
  /** Live carries `ecs-gitops/managed-by=<this instance>`; undefined when there is no live object. */
  readonly owned?: boolean;
  /** The live identity (ARN) when the resource exists. */
  readonly liveArn?: string | undefined;
  /**
   * Deletes and orphan replaces: the live resource is tagged `ecs-gitops/prune=disabled` (written
   * while its manifest said `ecs-gitops/prune: disabled`), so it is never deleted.
   */
  readonly pruneProtected?: boolean;
}

/** What a resource Git describes can come to: everything but a delete. */
export type DesiredAction = Exclude<Action, 'delete'>;

/** A resource Git describes, compared with what runs: create, update, replace, adopt or noop. */
export interface DesiredDiff<K extends Kind = Kind> extends DiffCommon<K> {
  readonly action: DesiredAction;
  readonly desired: DesiredOf<K>;
  /** For Services: the revision to run. For TaskDefinitions: the revision that matches (if any). */
  readonly taskDefinition?: TaskDefinitionTarget;
}

/** An owned resource no manifest of the revision describes any more: a prune candidate. */
export interface DeleteDiff<K extends Kind = Kind> extends DiffCommon<K> {
  readonly action: 'delete';
  readonly desired?: undefined;
  readonly taskDefinition?: undefined;
}

/**
 * One resource's comparison, discriminated on `action`: only a delete has no desired side. With a
 * kind (`ResourceDiff<'Service'>`), `desired` is that kind's Desired… type; without one it is the
 * union of every kind's diff, and `diff.desired?.kind` narrows `desired`.
 */
export type ResourceDiff<K extends Kind = Kind> = (K extends Kind ? DesiredDiff<K> : never) | DeleteDiff<K>;
