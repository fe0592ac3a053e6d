/** Pages the provider itself shows; every value is escaped. */

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Hubfed</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}code{background:#f3f4f6;padding:0 .25rem;border-radius:.25rem}a{color:#1d4ed8}</style>
</head>
<body>${body}</body>
</html>`;
}

export function renderProviderErrorPage({
  portalUrl,
  error,
  error_description: description,
}: {
  portalUrl: string;
  error?: string;
  error_description?: string;
}): string {
  return page(
    "Sign-in could not continue",
    `<h1>Sign-in to the hub could not continue</h1>
<p>${escapeHtml(description ?? "The request was not valid.")}</p>
<p>Error code: <code>${escapeHtml(error ?? "invalid_request")}</code></p>
<p>Open your hubs from <a href="${escapeHtml(new URL("/", portalUrl).toString())}">the portal</a> and try again.</p>`,
  );
}
