// AWS names → manifest names (metadata.name: lowercase letters, digits, "-" and "."), unique per kind.
const NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** `Web_API` → `web-api`; a name that is already valid is kept as it is. */
export function manifestName(awsName: string): string {
  if (NAME.test(awsName)) return awsName;
  const name = awsName
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return name === '' ? 'imported' : name;
}

/** Hands out names unique within one kind: the preferred one, else the alternatives, else a numbered one. */
export class NameAllocator {
  private readonly taken = new Set<string>();

  claim(candidates: readonly string[]): string {
    for (const candidate of candidates) {
      const name = manifestName(candidate);
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
    const base = manifestName(candidates[0] ?? 'imported');
    for (let n = 2; ; n += 1) {
      const name = `${base.slice(0, 245)}-${n}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }
}
