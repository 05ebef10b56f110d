// Offsets in a text → 1-based line and column.

/** Start offset of every line. */
export type LineIndex = readonly number[];

export function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function locate(lines: LineIndex, offset: number): { line: number; column: number } {
  const target = Math.max(0, offset);
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lines[mid] ?? 0) <= target) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: target - (lines[low] ?? 0) + 1 };
}
