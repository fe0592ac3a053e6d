export function Forbidden({ what }: { what: string }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="mt-2">Your account does not have permission to {what}.</p>
    </div>
  );
}
