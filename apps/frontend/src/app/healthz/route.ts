export const dynamic = 'force-dynamic';

/** Liveness and readiness of the frontend alone: a backend outage must not take it out of service. */
export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
