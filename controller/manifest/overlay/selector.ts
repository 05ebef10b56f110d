// Label selectors of patch targets, in Kubernetes' equality-based form: `app=web,tier!=batch,canary`.

export type Requirement =
  | { readonly key: string; readonly op: '=' | '!='; readonly value: string }
  | { readonly key: string; readonly op: 'exists' | '!exists' };

export type Selector = readonly Requirement[];

const KEY = /^[A-Za-z0-9]([A-Za-z0-9_./-]*[A-Za-z0-9])?$/;

export function parseSelector(text: string): Selector | { error: string } {
  const requirements: Requirement[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const match = /^(!?)([^=!]+?)\s*(?:(==|=|!=)\s*(.*))?$/.exec(part);
    const key = match?.[2]?.trim() ?? '';
    if (!match || !KEY.test(key))
      return { error: `"${part}" is not a label requirement (key=value, key!=value, key or !key)` };
    const value = match[4]?.trim();
    if (match[3] === undefined) requirements.push({ key, op: match[1] ? '!exists' : 'exists' });
    else if (match[1]) return { error: `"${part}": "!" goes only before a bare key` };
    else requirements.push({ key, op: match[3] === '!=' ? '!=' : '=', value: value ?? '' });
  }
  return requirements;
}

export function selects(selector: Selector, labels: Readonly<Record<string, unknown>>): boolean {
  return selector.every((requirement) => {
    const present = Object.hasOwn(labels, requirement.key);
    switch (requirement.op) {
      case 'exists':
        return present;
      case '!exists':
        return !present;
      case '=':
        return present && String(labels[requirement.key]) === requirement.value;
      default:
        return !present || String(labels[requirement.key]) !== requirement.value;
    }
  });
}
