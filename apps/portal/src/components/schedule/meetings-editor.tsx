"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { weekdayNames } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { clockTime } from "./schedule-format";

interface MeetingRow {
  label: string;
  dayOfWeek: number;
  startTime: string;
  durationMinutes: string;
}

/** The weekly meetings, as a table staff read and instructors edit and save at once. */
export function MeetingsEditor({
  courseSlug,
  timeZone,
  meetings,
  canEdit,
}: {
  courseSlug: string;
  timeZone: string;
  meetings: Array<{
    label: string;
    dayOfWeek: number;
    startMinute: number;
    durationMinutes: number;
  }>;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [rows, setRows] = useState<MeetingRow[]>(() =>
    meetings.map((meeting) => ({
      label: meeting.label,
      dayOfWeek: meeting.dayOfWeek,
      startTime: clockTime(meeting.startMinute),
      durationMinutes: String(meeting.durationMinutes),
    })),
  );
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.capacity.saveMeetings.mutationOptions({
      onSuccess: () => {
        setErrors({});
        setSaved(true);
        router.refresh();
      },
      onError: (error) => {
        setSaved(false);
        setErrors(fieldErrorsOrMessage(error));
      },
    }),
  );
  const update = (index: number, patch: Partial<MeetingRow>) => {
    setSaved(false);
    setRows(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  };

  return (
    <section aria-labelledby="meetings-heading" data-testid="meetings">
      <h2 id="meetings-heading" className="text-xl font-semibold">
        Weekly meetings
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Times are in the course&apos;s time zone, <strong>{timeZone}</strong>.
      </p>
      <form
        className="mt-3 space-y-2 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({
            courseSlug,
            meetings: rows.map((row) => ({
              label: row.label,
              dayOfWeek: row.dayOfWeek,
              startTime: row.startTime,
              durationMinutes: Number(row.durationMinutes),
            })),
          });
        }}
      >
        {rows.length === 0 ? <p className="text-sm text-slate-600">No weekly meetings.</p> : null}
        {rows.map((row, index) => (
          <fieldset
            key={index}
            disabled={!canEdit}
            className="grid items-start gap-2 md:grid-cols-[2fr_1.5fr_1fr_1fr_auto]"
            data-testid="meeting-row"
          >
            <legend className="sr-only">Meeting {index + 1}</legend>
            <label className="block text-sm">
              Name
              <input
                value={row.label}
                onChange={(event) => update(index, { label: event.target.value })}
                className={inputClass}
              />
              <FieldError errors={errors[`meetings.${index}.label`]} />
            </label>
            <label className="block text-sm">
              Day
              <select
                value={row.dayOfWeek}
                onChange={(event) => update(index, { dayOfWeek: Number(event.target.value) })}
                className={inputClass}
              >
                {weekdayNames.map((name, day) => (
                  <option key={name} value={day + 1}>
                    {name}
                  </option>
                ))}
              </select>
              <FieldError errors={errors[`meetings.${index}.dayOfWeek`]} />
            </label>
            <label className="block text-sm">
              Starts at
              <input
                type="time"
                value={row.startTime}
                onChange={(event) => update(index, { startTime: event.target.value })}
                className={inputClass}
              />
              <FieldError errors={errors[`meetings.${index}.startTime`]} />
            </label>
            <label className="block text-sm">
              Minutes
              <input
                type="number"
                value={row.durationMinutes}
                onChange={(event) => update(index, { durationMinutes: event.target.value })}
                className={inputClass}
              />
              <FieldError errors={errors[`meetings.${index}.durationMinutes`]} />
            </label>
            {canEdit ? (
              <button
                type="button"
                className={`${secondaryButtonClass} mt-5`}
                onClick={() => setRows(rows.filter((_, at) => at !== index))}
              >
                Remove
              </button>
            ) : null}
          </fieldset>
        ))}
        {canEdit ? (
          <div className="flex items-center gap-3 pt-2">
            <button
              type="button"
              className={secondaryButtonClass}
              onClick={() =>
                setRows([
                  ...rows,
                  { label: "Lecture", dayOfWeek: 1, startTime: "10:00", durationMinutes: "50" },
                ])
              }
            >
              Add a meeting
            </button>
            <button type="submit" disabled={save.isPending} className={buttonClass}>
              Save meetings
            </button>
            {saved ? (
              <span role="status" className="text-sm text-green-700">
                Saved
              </span>
            ) : null}
            <FieldError errors={errors.form ?? errors.meetings} />
          </div>
        ) : null}
      </form>
    </section>
  );
}
