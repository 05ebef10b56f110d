// Timestamps arrive as Date (SDK), epoch seconds (AWS JSON wire form) or ISO strings (manifests).

/** Any timestamp form → ISO-8601 UTC string; other values unchanged. */
export function normalizeTimestamp(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}
