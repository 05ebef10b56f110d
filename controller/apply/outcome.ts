// What one kind's applier reports back to the executor.
import type { Outcome } from '../types.js';

export interface KindOutcome {
  readonly outcome: Outcome;
  readonly message: string;
  readonly arn?: string | undefined;
  readonly service?: { readonly cluster: string; readonly serviceName: string };
  readonly deploymentId?: string | undefined;
}
