import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lint is Biome's job at the repository root; type-checking stays on in `next build`.
  typedRoutes: false,
};

export default config;
