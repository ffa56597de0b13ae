/** The server's clock, for the browser to correct its own (lib/serverClock.ts). */
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ now: Date.now() }, { headers: { 'cache-control': 'no-store' } });
}
