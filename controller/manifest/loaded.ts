// A document that passed its kind's schema: typed, and still tied to its YAML for positions.
import type { ManifestProblem } from '../errors.js';
import type { Kind } from '../types.js';
import { problemAt } from './document-problems.js';
import type { Metadata } from './model.js';
import type {
  CapacityProviderSpec,
  ClusterSpec,
  ScalingPolicySpec,
  ScheduledTaskSpec,
  ServiceSpec,
  TaskDefinitionSpec,
  TaskSpec,
} from './spec-types.js';
import type { YamlDocument } from './yaml-documents.js';

export interface SpecOf {
  CapacityProvider: CapacityProviderSpec;
  Cluster: ClusterSpec;
  TaskDefinition: TaskDefinitionSpec;
  Service: ServiceSpec;
  ScalingPolicy: ScalingPolicySpec;
  ScheduledTask: ScheduledTaskSpec;
  Task: TaskSpec;
}

export interface Loaded<K extends Kind = Kind> {
  readonly kind: K;
  readonly name: string;
  /** `Service/web`. */
  readonly label: string;
  readonly metadata: Metadata;
  readonly spec: SpecOf[K];
  readonly document: YamlDocument;
}

export type LoadedAny = { [K in Kind]: Loaded<K> }[Kind];

/** Collects problems about loaded documents, positioned by JSON pointer. */
export class ProblemSink {
  readonly problems: ManifestProblem[] = [];
  readonly warnings: ManifestProblem[] = [];

  add(loaded: Loaded, pointer: string, message: string, at: 'key' | 'value' = 'value'): void {
    this.problems.push(problemAt(loaded.document, pointer, message, { resource: loaded.label, at }));
  }

  warn(loaded: Loaded, pointer: string, message: string, at: 'key' | 'value' = 'value'): void {
    this.warnings.push(problemAt(loaded.document, pointer, message, { resource: loaded.label, at }));
  }
}
