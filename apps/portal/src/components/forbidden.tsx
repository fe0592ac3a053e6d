/**
 * A page's refusal. `data-refusal` marks every refusal a page renders, so the page access matrix
 * (e2e/security/page-access.spec.ts) can tell a refused role from one let in.
 */
export function Forbidden({ what }: { what: string }) {
  return (
    <div
      role="alert"
      data-refusal="forbidden"
      className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900"
    >
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="mt-2">Your account does not have permission to {what}.</p>
    </div>
  );
}
