// Reconciling an unchanged fleet of Kubernetes hubs (issue "Provisioning":
// 1 000 hubs against the Kubernetes API test server; the target is zero
// writes and well under a minute). Not a test: it prints numbers.
//
//   npm run bench:reconcile            (HUBS=1000 by default)
//
// Every hub's objects are built from its spec and validated against the
// chart's values schema exactly as reconcile does, then server-side applied
// one object at a time over HTTP with the real client, remembering the
// resourceVersions it saw as reconcile does. The first pass creates the
// fleet; the measured second pass must change nothing.
import {
  applyObjects,
  buildExampleHubManifestInput,
  buildHubObjects,
  connectToCluster,
  validateBeforeApply,
} from "@hubfed/kube";
import { startKubernetesTestServer } from "@hubfed/kube/test-server";

const hubCount = Number(process.env.HUBS ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 8);

/** What reconcile keeps per hub between runs: the resourceVersions it saw after applying. */
const versionsBySlug = new Map<string, Record<string, string>>();

async function applyFleet(
  url: string,
  slugs: string[],
): Promise<{ seconds: number; objects: number; changed: number }> {
  const cluster = connectToCluster("bench", { apiServerUrl: url });
  let objects = 0;
  let changed = 0;
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < slugs.length) {
        const slug = slugs[next++];
        if (!slug) return;
        const manifests = validateBeforeApply(
          buildHubObjects(buildExampleHubManifestInput({ hubSlug: slug, courseSlug: slug }), {
            clientSecret: `secret-${slug}`,
          }),
        );
        const results = await applyObjects(cluster, manifests, {
          knownResourceVersions: versionsBySlug.get(slug),
        });
        versionsBySlug.set(
          slug,
          Object.fromEntries(results.map((result) => [result.object, result.resourceVersion])),
        );
        objects += results.length;
        changed += results.filter((result) => result.outcome !== "unchanged").length;
      }
    }),
  );
  return { seconds: (performance.now() - startedAt) / 1000, objects, changed };
}

async function main() {
  const server = await startKubernetesTestServer();
  try {
    const slugs = Array.from(
      { length: hubCount },
      (_, index) => `course-${String(index).padStart(4, "0")}`,
    );
    const created = await applyFleet(server.url, slugs);
    server.resetCounters();
    const unchanged = await applyFleet(server.url, slugs);
    const counters = server.counters;
    console.log(
      `\nReconcile of ${hubCount} Kubernetes hubs against the test server (concurrency ${concurrency})\n`,
    );
    console.log("| pass | objects applied | changed | seconds | write calls |");
    console.log("|---|---:|---:|---:|---:|");
    console.log(
      `| first (creates the fleet) | ${created.objects} | ${created.changed} | ${created.seconds.toFixed(1)} | — |`,
    );
    console.log(
      `| second (unchanged fleet) | ${unchanged.objects} | ${unchanged.changed} | ${unchanged.seconds.toFixed(1)} | ${server.countWrites()} |`,
    );
    console.log(`\nsecond pass calls: ${JSON.stringify(counters)}`);
  } finally {
    await server.stop();
  }
}

void main();
