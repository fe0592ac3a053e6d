"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";
import { formatSpanInZone, importantDateKindLabels } from "./schedule-format";

type Kind = keyof typeof importantDateKindLabels;

/** Exams, assignment releases, deadlines: listed for staff, added and removed by instructors. */
export function ImportantDatesPanel({
  courseSlug,
  timeZone,
  dates,
  canEdit,
}: {
  courseSlug: string;
  timeZone: string;
  dates: Array<{ id: string; kind: Kind; title: string; startsAt: Date; endsAt: Date | null }>;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [kind, setKind] = useState<Kind>("DEADLINE");
  const [title, setTitle] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [endsAt, setEndsAt] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const add = useMutation(
    trpc.capacity.addImportantDate.mutationOptions({
      onSuccess: () => {
        setErrors({});
        setTitle("");
        setStartsAt("");
        setEndsAt("");
        router.refresh();
      },
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );
  const remove = useMutation(
    trpc.capacity.removeImportantDate.mutationOptions({ onSuccess: () => router.refresh() }),
  );

  return (
    <section aria-labelledby="dates-heading" data-testid="important-dates">
      <h2 id="dates-heading" className="text-xl font-semibold">
        Important dates
      </h2>
      {dates.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No dates yet.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {dates.map((date) => (
            <li
              key={date.id}
              className="flex items-center justify-between gap-3 p-3 text-sm"
              data-testid="important-date"
            >
              <span>
                <span className="mr-2 rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                  {importantDateKindLabels[date.kind]}
                </span>
                <strong>{date.title}</strong> ·{" "}
                {formatSpanInZone(date.startsAt, date.endsAt, timeZone)}
              </span>
              {canEdit ? (
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ courseSlug, dateId: date.id })}
                >
                  Remove<span className="sr-only"> {date.title}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <form
          aria-label="Add a date"
          className="mt-3 grid items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-5"
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate({ courseSlug, kind, title, startsAt, endsAt: endsAt || undefined });
          }}
        >
          <label className="block text-sm">
            Kind
            <select
              value={kind}
              onChange={(event) => setKind(event.target.value as Kind)}
              className={inputClass}
            >
              {Object.entries(importantDateKindLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm">
            Title
            <input
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              className={inputClass}
            />
            <FieldError errors={errors.title} />
          </label>
          <label className="block text-sm">
            Starts ({timeZone})
            <input
              type="datetime-local"
              value={startsAt}
              onChange={(event) => setStartsAt(event.target.value)}
              className={inputClass}
            />
            <FieldError errors={errors.startsAt} />
          </label>
          <label className="block text-sm">
            Ends (optional)
            <input
              type="datetime-local"
              value={endsAt}
              onChange={(event) => setEndsAt(event.target.value)}
              className={inputClass}
            />
            <FieldError errors={errors.endsAt} />
          </label>
          <div className="pt-5">
            <button type="submit" disabled={add.isPending} className={buttonClass}>
              Add date
            </button>
            <FieldError errors={errors.form ?? errors.kind} />
          </div>
        </form>
      ) : null}
    </section>
  );
}
