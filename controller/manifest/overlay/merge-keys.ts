// Which lists a strategic merge patch merges item by item, and by what (the ECS API's own identities).
// Any other list is replaced as a whole, as Kubernetes does for lists without a patch merge key.
import { isMapping } from './sourced.js';

type Item = Record<string, unknown>;

export interface MergeKey {
  /** Shown when a patch item lacks it: `name`, `containerPort`. */
  readonly field: string;
  readonly identifies: (item: Item) => boolean;
  readonly same: (base: Item, patch: Item) => boolean;
}

const by = (field: string): MergeKey => ({
  field,
  identifies: (item) => item[field] !== undefined,
  same: (base, patch) => base[field] === patch[field],
});

/** Ports by name where the patch names one, else by containerPort and protocol. */
const PORT: MergeKey = {
  field: 'name or containerPort',
  identifies: (item) => item.name !== undefined || item.containerPort !== undefined,
  same: (base, patch) =>
    patch.name !== undefined
      ? base.name === patch.name
      : base.containerPort === patch.containerPort && (base.protocol ?? 'tcp') === (patch.protocol ?? 'tcp'),
};

const LOAD_BALANCER: MergeKey = {
  field: 'containerName and containerPort',
  identifies: (item) => item.containerName !== undefined && item.containerPort !== undefined,
  same: (base, patch) =>
    base.containerName === patch.containerName && base.containerPort === patch.containerPort,
};

/** By field path below the document, list indices left out. */
const KEYS: Readonly<Record<string, MergeKey>> = {
  'spec.containerDefinitions': by('name'),
  'spec.containerDefinitions.portMappings': PORT,
  'spec.containerDefinitions.environment': by('name'),
  'spec.containerDefinitions.secrets': by('name'),
  'spec.containerDefinitions.mountPoints': by('containerPath'),
  'spec.containerDefinitions.volumesFrom': by('sourceContainer'),
  'spec.containerDefinitions.ulimits': by('name'),
  'spec.containerDefinitions.dependsOn': by('containerName'),
  'spec.containerDefinitions.extraHosts': by('hostname'),
  'spec.containerDefinitions.systemControls': by('namespace'),
  'spec.volumes': by('name'),
  'spec.loadBalancers': LOAD_BALANCER,
  'spec.capacityProviderStrategy': by('capacityProvider'),
  'spec.defaultCapacityProviderStrategy': by('capacityProvider'),
  'spec.settings': by('name'),
  'spec.targetTracking': by('policyName'),
  'spec.stepScaling': by('policyName'),
  'spec.scheduledActions': by('scheduledActionName'),
};

export function mergeKeyOf(path: readonly string[]): MergeKey | undefined {
  return KEYS[path.join('.')];
}

export function isItem(value: unknown): value is Item {
  return isMapping(value);
}
