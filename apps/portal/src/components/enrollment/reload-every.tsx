"use client";

import { useEffect } from "react";

/** Reloads the page every few seconds (status pages that turn into a redirect when the hub is ready). */
export function ReloadEvery({ seconds }: { seconds: number }) {
  useEffect(() => {
    const timer = window.setTimeout(() => window.location.reload(), seconds * 1000);
    return () => window.clearTimeout(timer);
  }, [seconds]);
  return null;
}
