"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";

/** Leaving a course takes two clicks: the second names the course. */
export function LeaveCourseButton({
  courseSlug,
  courseCode,
}: {
  courseSlug: string;
  courseCode: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [isConfirming, setIsConfirming] = useState(false);
  const leave = useMutation(
    trpc.enrollment.leave.mutationOptions({ onSuccess: () => router.refresh() }),
  );
  return (
    <span className="ml-auto text-sm">
      {isConfirming ? (
        <span className="inline-flex items-center gap-2">
          <button
            type="button"
            className="text-red-700 hover:underline disabled:opacity-50"
            disabled={leave.isPending}
            onClick={() => leave.mutate({ courseSlug })}
          >
            Leave {courseCode}
          </button>
          <button
            type="button"
            className="text-slate-600 hover:underline"
            onClick={() => setIsConfirming(false)}
          >
            Stay
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="text-slate-500 hover:underline"
          onClick={() => setIsConfirming(true)}
        >
          Leave…
        </button>
      )}
      {leave.isError ? (
        <span role="alert" className="block text-red-700">
          {leave.error.message}
        </span>
      ) : null}
    </span>
  );
}
