import {
  errorResponse,
  forward,
  ProxyConfigError,
  readProxyConfig,
} from '../../../lib/server/proxy';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

async function handle(request: Request): Promise<Response> {
  try {
    return await forward(request, readProxyConfig(process.env));
  } catch (error) {
    if (!(error instanceof ProxyConfigError)) throw error;
    console.error(`proxy: ${error.message}`);
    return errorResponse(500, 'proxy_misconfigured', error.message, null);
  }
}

export {
  handle as DELETE,
  handle as GET,
  handle as HEAD,
  handle as OPTIONS,
  handle as PATCH,
  handle as POST,
  handle as PUT,
};
