// Test fixtures built from defaults plus overrides, where an override of `undefined` means "without
// this field" (with exactOptionalPropertyTypes an absent field and an undefined one differ).

export type Overrides<T> = { [K in keyof T]?: T[K] | undefined };

/** `base` with `overrides` applied; a field overridden with `undefined` is left out. */
export function withOverrides<T extends object>(base: T, overrides: Overrides<T>): T {
  const merged: Record<string, unknown> = { ...base, ...overrides };
  for (const [field, value] of Object.entries(overrides)) if (value === undefined) delete merged[field];
  // Every field is base's or an override of the same field's type, minus the ones removed.
  return merged as T;
}
