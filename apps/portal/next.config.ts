import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Workspace packages are TypeScript sources (ADR-free convention from
  // create-t3-turbo): Next compiles them as part of the app.
  transpilePackages: [
    "@hubfed/api",
    "@hubfed/auth",
    "@hubfed/core",
    "@hubfed/db",
    "@hubfed/github",
    "@hubfed/identity",
    "@hubfed/jobs",
    "@hubfed/observability",
  ],
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bullmq", "ioredis", "pino", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
