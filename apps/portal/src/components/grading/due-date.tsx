"use client";

import { useEffect, useState } from "react";
import { formatWhen } from "./grading-format";

/**
 * A due date in the assignment's time zone, and in the viewer's own when it
 * differs (known only in the browser, so it appears after the first render).
 */
export function DueDate({
  dueAt,
  timeZone,
  relative,
}: {
  dueAt: Date;
  timeZone: string;
  /** "due in 3 days", worded on the server so it is there on the first render. */
  relative?: string;
}) {
  const [viewerZone, setViewerZone] = useState<string | undefined>();
  useEffect(() => {
    setViewerZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);
  return (
    <span className="inline-block" data-testid="due-date">
      <time dateTime={dueAt.toISOString()}>{formatWhen(dueAt, timeZone)}</time>
      {viewerZone && viewerZone !== timeZone ? (
        <span className="block text-xs text-slate-500" data-testid="due-viewer">
          {formatWhen(dueAt, viewerZone)} your time
        </span>
      ) : null}
      {relative ? (
        <span className="block text-xs text-slate-600" data-testid="due-relative">
          {relative}
        </span>
      ) : null}
    </span>
  );
}
