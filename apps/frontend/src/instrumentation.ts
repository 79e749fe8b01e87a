/**
 * Runs once as the Next.js server starts, before it serves a request. A bad TRUST_PROXY_HOPS
 * ends the start with one line: a server that guessed would key login limits on the wrong
 * address.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { readTrustedHops, TrustedHopsError, vouchForClients } = await import(
      './lib/server/client-address'
    );
    try {
      vouchForClients(readTrustedHops(process.env));
    } catch (error) {
      if (!(error instanceof TrustedHopsError)) throw error;
      console.error(`frontend: ${error.message}`);
      process.exit(1);
    }
  }
}
