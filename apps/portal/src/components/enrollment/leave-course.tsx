"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";

/**
 * Leaving a course takes two clicks: the second names the course. The mutation and the router
 * live in the second step only: My hubs renders one of these per card on every page view, and
 * few are ever clicked.
 */
export function LeaveCourseButton({
  courseSlug,
  courseCode,
}: {
  courseSlug: string;
  courseCode: string;
}) {
  const [isConfirming, setIsConfirming] = useState(false);
  return (
    <span className="ml-auto text-sm">
      {isConfirming ? (
        <ConfirmLeave
          courseSlug={courseSlug}
          courseCode={courseCode}
          onStay={() => setIsConfirming(false)}
        />
      ) : (
        <button
          type="button"
          className="text-slate-500 hover:underline"
          onClick={() => setIsConfirming(true)}
        >
          Leave…
        </button>
      )}
    </span>
  );
}

function ConfirmLeave({
  courseSlug,
  courseCode,
  onStay,
}: {
  courseSlug: string;
  courseCode: string;
  onStay: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const leave = useMutation(
    trpc.enrollment.leave.mutationOptions({ onSuccess: () => router.refresh() }),
  );
  return (
    <>
      <span className="inline-flex items-center gap-2">
        <button
          type="button"
          className="text-red-700 hover:underline disabled:opacity-50"
          disabled={leave.isPending}
          onClick={() => leave.mutate({ courseSlug })}
        >
          Leave {courseCode}
        </button>
        <button type="button" className="text-slate-600 hover:underline" onClick={onStay}>
          Stay
        </button>
      </span>
      {leave.isError ? (
        <span role="alert" className="block text-red-700">
          {leave.error.message}
        </span>
      ) : null}
    </>
  );
}
