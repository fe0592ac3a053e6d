"use client";

import { useEffect, useState } from "react";
import { formatWhen } from "./grading-format";

/** An instant on the viewer's own clock (UTC on the server's first render, the browser's zone after). */
export function LocalTime({ instant }: { instant: Date }) {
  const [zone, setZone] = useState("UTC");
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);
  return <time dateTime={instant.toISOString()}>{formatWhen(instant, zone)}</time>;
}
