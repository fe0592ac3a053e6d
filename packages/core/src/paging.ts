// Server-side pagination for the long tables (fleet, audit log, roster): the page a
// caller asks for, and what comes back. One definition so every table pages
// the same way and no list silently stops at an arbitrary row count.
import { z } from "zod";

export const maxPageSize = 100;

export const pageInput = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(maxPageSize).default(25),
});
export type PageInput = z.infer<typeof pageInput>;

export interface Page<Item> {
  items: Item[];
  /** Rows matching the filters, across all pages. */
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function pageOf<Item>(items: Item[], total: number, request: PageInput): Page<Item> {
  return {
    items,
    total,
    page: request.page,
    pageSize: request.pageSize,
    pageCount: Math.max(1, Math.ceil(total / request.pageSize)),
  };
}

/** OFFSET for a page (pages count from 1). */
export function offsetOf(request: PageInput): number {
  return (request.page - 1) * request.pageSize;
}
