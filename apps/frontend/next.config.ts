import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { BUILD_ID_PLACEHOLDER } from './scripts/reproducible.ts';
import { securityHeaders } from './src/lib/security-headers.ts';

// Tracing and Turbopack both start at the workspace root: dependencies are hoisted to the root
// node_modules, so a project-rooted trace would leave them out of the standalone server.
const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  output: 'standalone',
  outputFileTracingRoot: workspaceRoot,
  turbopack: { root: workspaceRoot },
  // Nothing uses next/image; the build script drops the optimizer's sharp binaries (20 MB).
  images: { unoptimized: true },
  // `nx run frontend:typecheck` checks types, tests included; the build then depends only on
  // the app's own sources, which is what its Nx cache key covers.
  typescript: { ignoreBuildErrors: true },
  // scripts/build.ts replaces it with a digest of the compiled output (see reproducible.ts).
  generateBuildId: () => BUILD_ID_PLACEHOLDER,
  poweredByHeader: false,
  async headers() {
    const development = process.env.NODE_ENV === 'development';
    return [{ source: '/:path*', headers: securityHeaders({ development }) }];
  },
  reactStrictMode: true,
};

export default config;
