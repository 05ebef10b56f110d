// What every kind's applier shares during one apply: clients, options, the ARNs registered so far,
// and `send`, which records each write and turns SDK exceptions into AwsError.
import type { AwsClients } from '../aws/clients.js';
import { toAwsError } from '../aws/clients.js';
import { policyTags } from '../manifest/annotations.js';
import type { DesiredResource } from '../manifest/model.js';
import type { ChangeSet, ChangeSetEntry } from '../plan/model.js';
import { type KeyString, keyString, OWNERSHIP_TAGS, type ResourceKey } from '../types.js';
import type { ApplyOptions } from './model.js';

/** Anything with `send(command, options)`: ECSClient and ApplicationAutoScalingClient. */
interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's command generics differ per client
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** A command object as the SDK builds it (`new UpdateServiceCommand(input)`). */
interface CommandLike {
  readonly input: unknown;
  readonly constructor: { readonly name: string };
}

export interface EntryRecorder {
  readonly key: ResourceKey;
  readonly writes: string[];
}

export interface ApplyContext {
  readonly clients: AwsClients;
  readonly options: ApplyOptions;
  readonly changeSet: ChangeSet;
  /** TaskDefinition manifest name → ARN of the revision registered (or matched) in this apply. */
  readonly taskDefinitionArns: Map<string, string>;
  /** TaskDefinition manifest names that got a new revision in this apply. */
  readonly registered: Set<string>;
  readonly entries: ReadonlyMap<KeyString, ChangeSetEntry>;
  /** A write: counted on the entry, reported as progress, errors as AwsError. */
  send<T>(entry: EntryRecorder, client: Sender, command: CommandLike, description?: string): Promise<T>;
  step(entry: EntryRecorder, message: string): void;
  sleep(ms: number): Promise<void>;
}

export function operationName(command: CommandLike): string {
  return command.constructor.name.replace(/Command$/, '');
}

export function createApplyContext(
  clients: AwsClients,
  changeSet: ChangeSet,
  options: ApplyOptions,
): ApplyContext {
  const entries = new Map<KeyString, ChangeSetEntry>();
  for (const entry of changeSet.entries) entries.set(keyString(entry.key), entry);
  const abortSignal = options.signal;
  const sendOptions = abortSignal ? { abortSignal } : {};
  const context: ApplyContext = {
    clients,
    options,
    changeSet,
    entries,
    taskDefinitionArns: new Map(),
    registered: new Set(),
    async send<T>(entry: EntryRecorder, client: Sender, command: CommandLike, description?: string) {
      const operation = operationName(command);
      entry.writes.push(operation);
      context.step(entry, description ? `${operation} ${description}` : operation);
      try {
        return (await client.send(command, sendOptions)) as T;
      } catch (error) {
        throw toAwsError(operation, error);
      }
    },
    step(entry, message) {
      options.onProgress?.({ type: 'step', key: entry.key, message });
    },
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  return context;
}

/** The controller's tags for a resource it creates or changes (docs/architecture.md#reconcile-semantics, "Ownership"). */
export function ownershipTags(
  context: ApplyContext,
  key: ResourceKey,
  desired?: DesiredResource,
): Record<string, string> {
  const { options } = context;
  const source = options.sourcePath?.(key) ?? desired?.source.file;
  return {
    ...(options.extraTags?.(key) ?? {}),
    ...(desired ? policyTags(desired.policy) : {}),
    [OWNERSHIP_TAGS.managedBy]: options.instance,
    [OWNERSHIP_TAGS.revision]: options.revision,
    ...(source ? { [OWNERSHIP_TAGS.source]: source } : {}),
  };
}

/** ECS's list form. */
export function toEcsTags(tags: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
