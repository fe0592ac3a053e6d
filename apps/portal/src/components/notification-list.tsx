"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function NotificationList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notifications = useQuery(trpc.notification.list.queryOptions());
  const markRead = useMutation(
    trpc.notification.markRead.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.notification.list.queryKey() }),
    }),
  );
  if (notifications.isPending) return <p className="text-slate-500">Loading…</p>;
  if (notifications.isError) return <p role="alert">{notifications.error.message}</p>;
  return (
    <div className="space-y-4">
      <button
        type="button"
        onClick={() => markRead.mutate({})}
        disabled={notifications.data.unreadCount === 0}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm disabled:opacity-50"
      >
        Mark all as read ({notifications.data.unreadCount} unread)
      </button>
      <ul
        className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white"
        data-testid="notifications"
      >
        {notifications.data.items.map((item) => (
          <li key={item.id} className={`p-4 ${item.readAt ? "" : "bg-brand-50"}`}>
            <p className="text-xs text-slate-500">{formatDateTime(item.createdAt)}</p>
            {item.href ? (
              <Link href={item.href} className="font-medium text-brand-700 hover:underline">
                {item.title}
              </Link>
            ) : (
              <p className="font-medium">{item.title}</p>
            )}
            <p className="text-sm text-slate-700">{item.body}</p>
          </li>
        ))}
        {notifications.data.items.length === 0 ? (
          <li className="p-4 text-slate-500">Nothing yet.</li>
        ) : null}
      </ul>
    </div>
  );
}
