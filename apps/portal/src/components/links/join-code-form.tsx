"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Sends the student to /join/<code>, which brings them back to the link once they have joined. */
export function JoinCodeForm({ next }: { next: string }) {
  const router = useRouter();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      className="flex items-start gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = code.trim();
        if (!/^[A-Za-z0-9-]{4,64}$/.test(trimmed)) {
          setError("Join codes are letters, digits and dashes.");
          return;
        }
        router.push(`/join/${encodeURIComponent(trimmed)}?next=${encodeURIComponent(next)}`);
      }}
    >
      <div className="flex-1">
        <label htmlFor="join-code" className="sr-only">
          Join code
        </label>
        <input
          id="join-code"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          placeholder="Join code"
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "join-code-error" : undefined}
          className="w-full rounded-md border border-slate-300 px-3 py-2"
        />
        {error ? (
          <p id="join-code-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
        Join
      </button>
    </form>
  );
}
