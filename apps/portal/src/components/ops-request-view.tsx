"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { DecisionPanel } from "./decision-panel";
import { RequestDetail } from "./request-detail";

export function OpsRequestView({ requestId }: { requestId: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.request.get.queryOptions({ requestId }));
  return (
    <RequestDetail
      requestId={requestId}
      decisionPanel={
        detail.data ? (
          <DecisionPanel
            requestId={requestId}
            kind={detail.data.kind}
            status={detail.data.status}
            domainClaims={detail.data.domainClaims}
          />
        ) : null
      }
    />
  );
}
