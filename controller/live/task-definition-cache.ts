// Task definition revisions are immutable: once described, an ARN's content never changes.
// The cache lives as long as the controller process, so a warm pass describes nothing.
import type { LiveTaskDefinition } from './model.js';

export class TaskDefinitionCache {
  private readonly entries = new Map<string, LiveTaskDefinition>();

  constructor(private readonly maxEntries = 5000) {}

  get(arn: string): LiveTaskDefinition | undefined {
    const entry = this.entries.get(arn);
    if (entry) {
      // Least recently used goes first when full.
      this.entries.delete(arn);
      this.entries.set(arn, entry);
    }
    return entry;
  }

  set(arn: string, value: LiveTaskDefinition): void {
    this.entries.delete(arn);
    this.entries.set(arn, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  has(arn: string): boolean {
    return this.entries.has(arn);
  }

  /** Forgets one revision: its tags changed (TagResource), the rest of it never does. */
  delete(arn: string): void {
    this.entries.delete(arn);
  }

  get size(): number {
    return this.entries.size;
  }
}
