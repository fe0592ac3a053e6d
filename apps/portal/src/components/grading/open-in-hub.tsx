/**
 * The assignment's interact link: it opens the student's hub and fetches the
 * assignment into their server. A plain link, never prefetched (a click counts).
 */
export function OpenInHubLink({
  code,
  label = "Open in your hub",
}: {
  code: string;
  label?: string;
}) {
  return (
    <a
      href={`/i/${encodeURIComponent(code)}`}
      data-testid="assignment-link"
      className="inline-block rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
    >
      {label}
    </a>
  );
}
