// Container health check (Docker HEALTHCHECK and the ECS task definition's healthCheck): exits 0
// when the controller's /healthz answers 2xx. Node's own fetch, so the image needs no curl. The
// port follows ECS_GITOPS_LISTEN, so changing the listen address does not break the check.
const listen = process.env.ECS_GITOPS_LISTEN ?? '127.0.0.1:8080';
const match = /^(?:(.*):)?(\d+)$/.exec(listen.trim());
const port = match?.[2] ?? '8080';
let host = (match?.[1] ?? '').replace(/^\[(.*)\]$/, '$1');
// A wildcard listen address is reachable on loopback; a specific one only on itself.
if (host === '' || host === '0.0.0.0' || host === '::') host = '127.0.0.1';
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2500) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
