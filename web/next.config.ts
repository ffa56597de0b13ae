import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  // The image (Dockerfile.web) ships .next/standalone: the server with only the files it traces
  // as needed, instead of the whole node_modules.
  output: 'standalone',
  poweredByHeader: false,
  // Lint is Biome's job at the repository root; type-checking stays on in `next build`.
  typedRoutes: false,
};

export default config;
