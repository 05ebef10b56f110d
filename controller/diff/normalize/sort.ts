// Lists whose order ECS does not keep (or that are sets by meaning) are sorted on both sides.

/** Sorted copy of a list of scalars; absent stays absent. */
export function sortScalars(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return [...value].sort((a, b) => String(a).localeCompare(String(b)));
}

/** Sorted copy of a list of objects by a key function (environment/secrets by name, …). */
export function sortByKey<T>(value: readonly T[] | undefined, key: (item: T) => string): T[] | undefined {
  if (!value) return value;
  return [...value].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
