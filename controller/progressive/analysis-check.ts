// One request of an `ecs-gitops/analysis` check: GET the URL, 2xx within the timeout passes; any
// other status, a timeout or a network error fails. The outcome is data, never a throw: a check
// that cannot be reached is a failed check (the deployment rolls back), not a controller error.
import type { AnalysisSpec } from '../manifest/approval-gate.js';
import type { AnalysisCheck } from '../status/model.js';

export type CheckOutcome = Omit<AnalysisCheck, 'at'>;

/** The error a failed request gives, in a few words (`timed out after 5 s`, `ECONNREFUSED …`). */
function describeFailure(error: unknown, spec: AnalysisSpec, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'aborted: the controller is stopping';
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return `timed out after ${spec.timeoutSeconds} s`;
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`.slice(0, 200);
  return String(err?.message ?? error).slice(0, 200);
}

export async function checkAnalysis(spec: AnalysisSpec, signal?: AbortSignal): Promise<CheckOutcome> {
  const timeout = AbortSignal.timeout(spec.timeoutSeconds * 1000);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(spec.url, {
      method: 'GET',
      headers: {
        accept: 'application/json, text/plain;q=0.9, */*;q=0.1',
        'user-agent': 'ecs-gitops-analysis',
      },
      redirect: 'follow',
      signal: combined,
    });
    // The body is not read: the verdict is the status code. Cancelling frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return response.ok
      ? { ok: true, httpStatus: response.status }
      : { ok: false, httpStatus: response.status, error: `HTTP ${response.status} (expected 2xx)` };
  } catch (error) {
    return { ok: false, error: describeFailure(error, spec, signal) };
  }
}
