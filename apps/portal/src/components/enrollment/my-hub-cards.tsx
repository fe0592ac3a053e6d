"use client";

import Link from "next/link";
import type { HubStatusTone } from "@hubfed/core";
import { HubStatusPill } from "./hub-status-pill";
import { LeaveCourseButton } from "./leave-course";

/** One card of My hubs, in the words it shows (made by MyHubs on the server). */
export interface MyHubCard {
  slug: string;
  heading: string;
  courseCode: string;
  /** Institution · term, and the person's role when they teach. */
  context: string;
  status: { label: string; tone: HubStatusTone; explanation?: string };
  region: string;
  hubLastActive: string;
  youLastOpened: string;
  /** Why the hub cannot be opened now, when it cannot. */
  notLaunchableBecause?: string;
  links: Array<{ code: string; title: string; href: string }>;
  launch: { href: string; label: string; isPrimary: boolean };
  assignmentsHref: string;
  /** For instructors and TAs. */
  coursePageHref?: string;
}

export function MyHubCards({ cards }: { cards: MyHubCard[] }) {
  return (
    <ul className="mt-3 grid gap-4 md:grid-cols-2" data-testid="my-hubs">
      {cards.map((card) => (
        <Card key={card.slug} card={card} />
      ))}
    </ul>
  );
}

function Card({ card }: { card: MyHubCard }) {
  return (
    <li
      className="flex flex-col rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      data-testid={`my-hub-${card.slug}`}
    >
      <div className="flex items-start justify-between gap-3">
        <div>
          <p className="font-semibold">{card.heading}</p>
          <p className="text-sm text-slate-500">{card.context}</p>
        </div>
        <HubStatusPill
          label={card.status.label}
          tone={card.status.tone}
          explanation={card.status.explanation}
        />
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">Region</dt>
        <dd>{card.region}</dd>
        <dt className="text-slate-500">Hub last active</dt>
        <dd>{card.hubLastActive}</dd>
        <dt className="text-slate-500">You last opened it</dt>
        <dd data-testid="last-launched">{card.youLastOpened}</dd>
      </dl>
      {card.notLaunchableBecause ? (
        <p className="mt-2 text-sm text-slate-600">{card.notLaunchableBecause}</p>
      ) : null}
      {card.links.length > 0 ? (
        <div className="mt-3">
          <p className="text-sm font-medium text-slate-700">Latest from your instructors</p>
          <ul className="mt-1 space-y-0.5 text-sm" data-testid="latest-links">
            {card.links.map((link) => (
              <li key={link.code}>
                {/* A plain link: /i/<code> counts a click, so it is never prefetched. */}
                <a href={link.href} className="text-brand-700 hover:underline">
                  {link.title}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="mt-4 flex items-center gap-3">
        {/* A plain link, not a prefetched one: launching places the person on a hub. */}
        <a
          href={card.launch.href}
          data-testid="launch-hub"
          className={
            card.launch.isPrimary
              ? "rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
              : "rounded-md border border-slate-300 px-4 py-2 text-sm text-slate-700 hover:bg-slate-50"
          }
        >
          {card.launch.label}
        </a>
        {/* Not prefetched: twenty cards would ask the server for twenty pages on every visit. */}
        <Link
          href={card.assignmentsHref}
          prefetch={false}
          data-testid="course-assignments-link"
          className="text-sm text-brand-700 hover:underline"
        >
          Assignments
        </Link>
        {card.coursePageHref ? (
          <Link
            href={card.coursePageHref}
            prefetch={false}
            className="text-sm text-brand-700 hover:underline"
          >
            Course page
          </Link>
        ) : null}
        <LeaveCourseButton courseSlug={card.slug} courseCode={card.courseCode} />
      </div>
    </li>
  );
}
