// Container instance attributes: PutAttributes, ListAttributes, DeleteAttributes (targetType
// container-instance, the only one ECS has). Custom attributes sit next to the ones the agent
// reports and placement constraints see both.
import type { OpContext } from '../context.js';
import type { ContainerInstanceRecord, Json, JsonObject } from '../state.js';
import { ApiError, invalidParameter } from '../wire/errors.js';
import { compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';
import { requireCluster } from './cluster-lookup.js';
import { clusterInstances, findInstance, mergeAttributes, parseAttributes } from './container-instances.js';

const TARGET_TYPE = 'container-instance';
const MAX_ATTRIBUTES = 10;

interface Targeted {
  readonly instance: ContainerInstanceRecord;
  readonly attribute: { name: string; value?: string };
}

function targeted(ctx: OpContext, clusterName: string, body: JsonObject): Targeted[] {
  const raw = (body.attributes as Json[] | undefined) ?? [];
  if (!Array.isArray(raw) || raw.length === 0) throw invalidParameter('attributes can not be empty.');
  if (raw.length > MAX_ATTRIBUTES) {
    throw invalidParameter(`attributes can have at most ${MAX_ATTRIBUTES} items.`);
  }
  const parsed = parseAttributes(raw);
  return parsed.map((attribute, index) => {
    const item = raw[index] as JsonObject;
    const type = item.targetType ?? TARGET_TYPE;
    if (type !== TARGET_TYPE) throw invalidParameter(`Invalid targetType: ${String(type)}.`);
    const targetId = item.targetId;
    if (typeof targetId !== 'string' || targetId === '') {
      throw invalidParameter('targetId can not be blank.');
    }
    const instance = findInstance(ctx, clusterName, targetId);
    if (!instance || instance.status === 'INACTIVE') {
      throw new ApiError('TargetNotFoundException', `Could not find ${targetId}.`);
    }
    return { instance, attribute };
  });
}

function attributeJson(instance: ContainerInstanceRecord, attribute: { name: string; value?: string }) {
  return compact({
    name: attribute.name,
    value: attribute.value,
    targetType: TARGET_TYPE,
    targetId: instance.arn,
  });
}

export function putAttributes(ctx: OpContext, body: JsonObject): Json {
  const cluster = requireCluster(ctx, new Input(body));
  const items = targeted(ctx, cluster.clusterName, body);
  for (const { instance, attribute } of items) {
    instance.attributes = mergeAttributes(instance.attributes, [attribute]);
    instance.version++;
  }
  return { attributes: items.map(({ instance, attribute }) => attributeJson(instance, attribute)) };
}

export function deleteAttributes(ctx: OpContext, body: JsonObject): Json {
  const cluster = requireCluster(ctx, new Input(body));
  const items = targeted(ctx, cluster.clusterName, body);
  for (const { instance, attribute } of items) {
    instance.attributes = instance.attributes.filter((a) => a.name !== attribute.name);
    instance.version++;
  }
  return { attributes: items.map(({ instance, attribute }) => attributeJson(instance, attribute)) };
}

export function listAttributes(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const cluster = requireCluster(ctx, input);
  const type = input.requiredString('targetType');
  if (type !== TARGET_TYPE) throw invalidParameter(`Invalid targetType: ${type}.`);
  const name = input.string('attributeName');
  const value = input.string('attributeValue');
  if (value !== undefined && name === undefined) {
    throw invalidParameter('attributeValue can only be specified with attributeName.');
  }
  const rows: JsonObject[] = [];
  for (const instance of clusterInstances(ctx, cluster.clusterName)) {
    for (const attribute of instance.attributes) {
      if (name !== undefined && attribute.name !== name) continue;
      if (value !== undefined && attribute.value !== value) continue;
      rows.push(attributeJson(instance, attribute));
    }
  }
  const page = paginate(rows, input, { defaultMax: 100, max: 100 }, invalidParameter);
  return compact({ attributes: page.items, nextToken: page.nextToken });
}
