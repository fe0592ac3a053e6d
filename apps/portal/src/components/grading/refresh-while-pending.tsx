"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-reads the page every few seconds while a submission is still being graded. */
export function RefreshWhilePending({
  isPending,
  seconds = 4,
}: {
  isPending: boolean;
  seconds?: number;
}) {
  const router = useRouter();
  useEffect(() => {
    if (!isPending) return;
    const timer = window.setInterval(() => router.refresh(), seconds * 1000);
    return () => window.clearInterval(timer);
  }, [isPending, seconds, router]);
  return null;
}
