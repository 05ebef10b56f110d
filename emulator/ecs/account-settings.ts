// Account settings (per Region, as on ECS): PutAccountSetting (one principal), PutAccountSettingDefault
// (every principal of the account), ListAccountSettings (explicit or effective values),
// DeleteAccountSetting. Effective value = the principal's own, else the account default, else what
// AWS gives an account today. CreateCluster takes its containerInsights default from here.
import type { OpContext } from '../context.js';
import type { Json, JsonObject } from '../state.js';
import { invalidParameter } from '../wire/errors.js';
import { compact, Input } from '../wire/input.js';
import { paginate } from '../wire/pagination.js';

/** The values a new account has today, in the order ListAccountSettings reports them. */
export const AWS_DEFAULTS: Readonly<Record<string, string>> = {
  serviceLongArnFormat: 'enabled',
  taskLongArnFormat: 'enabled',
  containerInstanceLongArnFormat: 'enabled',
  awsvpcTrunking: 'disabled',
  containerInsights: 'disabled',
  fargateFIPSMode: 'disabled',
  tagResourceAuthorization: 'on',
  fargateTaskRetirementWaitPeriod: '7',
  guardDutyActivate: 'off',
  defaultLogDriverMode: 'non-blocking',
  fargateEventWindows: 'disabled',
};

const VALUES: Readonly<Record<string, readonly string[]>> = {
  serviceLongArnFormat: ['enabled', 'disabled'],
  taskLongArnFormat: ['enabled', 'disabled'],
  containerInstanceLongArnFormat: ['enabled', 'disabled'],
  awsvpcTrunking: ['enabled', 'disabled'],
  containerInsights: ['enabled', 'disabled', 'enhanced'],
  fargateFIPSMode: ['enabled', 'disabled'],
  tagResourceAuthorization: ['on', 'off'],
  fargateTaskRetirementWaitPeriod: ['0', '7', '14'],
  guardDutyActivate: ['on', 'off'],
  defaultLogDriverMode: ['blocking', 'non-blocking'],
  fargateEventWindows: ['enabled', 'disabled'],
};

/** Settings that only exist account-wide (the reference: "can only be set by PutAccountSettingDefault"). */
const DEFAULT_ONLY = new Set(['fargateFIPSMode', 'fargateTaskRetirementWaitPeriod', 'guardDutyActivate']);

function settingName(input: Input): string {
  const name = input.requiredString('name');
  if (!(name in VALUES)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(VALUES).join(', ')}]`,
    );
  }
  return name;
}

function settingValue(name: string, input: Input): string {
  const value = input.requiredString('value');
  const allowed = VALUES[name] ?? [];
  if (!allowed.includes(value)) {
    throw invalidParameter(`Invalid value for ${name}: ${value}. Valid values: ${allowed.join(', ')}.`);
  }
  return value;
}

const rootArn = (ctx: OpContext) => `arn:aws:iam::${ctx.accountId}:root`;

function principalOf(ctx: OpContext, input: Input): string {
  const principal = input.string('principalArn');
  if (principal === undefined || principal === '') return ctx.principal;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)$/.test(principal)) {
    throw invalidParameter(`Invalid principalArn: ${principal}.`);
  }
  return principal;
}

/** What applies to `principal` for `name` right now. */
export function effectiveSetting(ctx: OpContext, name: string, principal = ctx.principal): string {
  const settings = ctx.region.accountSettings;
  return settings.principals[principal]?.[name] ?? settings.defaults[name] ?? AWS_DEFAULTS[name] ?? '';
}

function settingJson(name: string, value: string, principalArn: string, type = 'user'): JsonObject {
  return { name, value, principalArn, type };
}

export function putAccountSetting(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const name = settingName(input);
  const value = settingValue(name, input);
  const principal = principalOf(ctx, input);
  if (DEFAULT_ONLY.has(name) && principal !== rootArn(ctx)) {
    throw invalidParameter(
      `The ${name} setting can only be set for the account with PutAccountSettingDefault.`,
    );
  }
  const settings = ctx.region.accountSettings;
  settings.principals[principal] = { ...settings.principals[principal], [name]: value };
  return { setting: settingJson(name, value, principal) };
}

export function putAccountSettingDefault(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const name = settingName(input);
  const value = settingValue(name, input);
  ctx.region.accountSettings.defaults[name] = value;
  return { setting: settingJson(name, value, rootArn(ctx)) };
}

export function deleteAccountSetting(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const name = settingName(input);
  const principal = principalOf(ctx, input);
  const settings = ctx.region.accountSettings;
  const own = settings.principals[principal];
  const value = own?.[name] ?? (principal === rootArn(ctx) ? settings.defaults[name] : undefined);
  if (value === undefined) throw invalidParameter(`The account setting ${name} is not set for ${principal}.`);
  if (own && name in own) delete own[name];
  else if (principal === rootArn(ctx)) delete settings.defaults[name];
  return { setting: settingJson(name, value, principal) };
}

export function listAccountSettings(ctx: OpContext, body: JsonObject): Json {
  const input = new Input(body);
  const onlyName = input.has('name') ? settingName(input) : undefined;
  const onlyValue = input.string('value');
  if (onlyValue !== undefined && onlyName === undefined) {
    throw invalidParameter('The value parameter requires the name parameter.');
  }
  const principal = principalOf(ctx, input);
  const effective = input.boolean('effectiveSettings') === true;
  const names = Object.keys(AWS_DEFAULTS).filter((name) => onlyName === undefined || name === onlyName);
  const settings = ctx.region.accountSettings;
  const rows: JsonObject[] = [];
  for (const name of names) {
    const own = settings.principals[principal]?.[name];
    if (effective) {
      const value = effectiveSetting(ctx, name, principal);
      const source = own !== undefined ? principal : rootArn(ctx);
      const type = own !== undefined || settings.defaults[name] !== undefined ? 'user' : 'aws_managed';
      rows.push(settingJson(name, value, source, type));
    } else if (own !== undefined) {
      rows.push(settingJson(name, own, principal));
    } else if (principal === rootArn(ctx) && settings.defaults[name] !== undefined) {
      rows.push(settingJson(name, settings.defaults[name] as string, principal));
    }
  }
  const filtered = rows.filter((row) => onlyValue === undefined || row.value === onlyValue);
  const page = paginate(filtered, input, { defaultMax: 10, max: 10 }, invalidParameter);
  return compact({ settings: page.items, nextToken: page.nextToken });
}
