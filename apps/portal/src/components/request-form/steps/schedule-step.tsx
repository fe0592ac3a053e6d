import { importantDateKinds } from "@hubfed/core/request-form";
import { weekdayNames } from "~/lib/format";
import type { DraftBinding } from "../draft-binding";
import {
  AddEntryButton,
  DraftNumberField,
  DraftTextField,
  ListErrors,
  RemoveEntryButton,
} from "../draft-fields";
import { Field, optionValue, SelectInput } from "../fields";

/** Step 3: when the class meets each week, and the dates that matter (exams, releases). */
export function ScheduleStep({ form }: { form: DraftBinding }) {
  return (
    <>
      <WeeklyMeetings form={form} />
      <ImportantDates form={form} />
    </>
  );
}

function WeeklyMeetings({ form }: { form: DraftBinding }) {
  const { draft, value, set, remove, errorsFor } = form;
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-semibold">Weekly meetings</h3>
      <p className="text-xs text-slate-500">
        Lectures and labs when everyone starts a server at once; capacity is reserved ahead of them.
      </p>
      {(draft.schedule?.meetings ?? []).map((_, index) => (
        <div
          key={index}
          className="grid gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-4"
        >
          <DraftTextField form={form} path={`schedule.meetings.${index}.label`} label="Label" />
          <Field
            path={`schedule.meetings.${index}.dayOfWeek`}
            label="Day"
            errors={errorsFor(`schedule.meetings.${index}.dayOfWeek`)}
          >
            <SelectInput
              path={`schedule.meetings.${index}.dayOfWeek`}
              value={optionValue(value<number>(`schedule.meetings.${index}.dayOfWeek`))}
              onChange={(next) => set(`schedule.meetings.${index}.dayOfWeek`, Number(next))}
              // Days are numbered from 1 (Monday), as the schedule stores them.
              options={weekdayNames.map((name, day) => ({ value: String(day + 1), label: name }))}
              hasError={false}
            />
          </Field>
          <DraftTextField
            form={form}
            path={`schedule.meetings.${index}.startTime`}
            label="Starts at"
            type="time"
          />
          <DraftNumberField
            form={form}
            path={`schedule.meetings.${index}.durationMinutes`}
            label="Minutes"
          />
          <RemoveEntryButton onClick={() => remove(`schedule.meetings.${index}`)}>
            Remove meeting
          </RemoveEntryButton>
        </div>
      ))}
      <AddEntryButton
        onClick={() =>
          set(`schedule.meetings.${draft.schedule?.meetings?.length ?? 0}`, {
            label: "Lecture",
            dayOfWeek: 1,
            startTime: "10:00",
            durationMinutes: 50,
          })
        }
      >
        Add a weekly meeting
      </AddEntryButton>
    </div>
  );
}

function ImportantDates({ form }: { form: DraftBinding }) {
  const { draft, value, set, remove, errorsFor } = form;
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-semibold">Important dates</h3>
      <p className="text-xs text-slate-500">
        Exams and assignment releases, in the course&apos;s time zone.
      </p>
      {(draft.schedule?.importantDates ?? []).map((_, index) => (
        <div
          key={index}
          className="grid gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-4"
        >
          <Field
            path={`schedule.importantDates.${index}.kind`}
            label="Kind"
            errors={errorsFor(`schedule.importantDates.${index}.kind`)}
          >
            <SelectInput
              path={`schedule.importantDates.${index}.kind`}
              value={value<(typeof importantDateKinds)[number]>(
                `schedule.importantDates.${index}.kind`,
              )}
              onChange={(next) => set(`schedule.importantDates.${index}.kind`, next)}
              options={importantDateKinds.map((kind) => ({
                value: kind,
                label: kind.replaceAll("_", " ").toLowerCase(),
              }))}
              hasError={false}
            />
          </Field>
          <DraftTextField
            form={form}
            path={`schedule.importantDates.${index}.title`}
            label="Title"
          />
          <DraftTextField
            form={form}
            path={`schedule.importantDates.${index}.startsAt`}
            label="Starts"
            type="datetime-local"
          />
          <DraftTextField
            form={form}
            path={`schedule.importantDates.${index}.endsAt`}
            label="Ends (optional)"
            type="datetime-local"
          />
          <RemoveEntryButton onClick={() => remove(`schedule.importantDates.${index}`)}>
            Remove date
          </RemoveEntryButton>
        </div>
      ))}
      <ListErrors label="Important dates" errors={errorsFor("schedule.importantDates")} />
      <AddEntryButton
        onClick={() =>
          set(`schedule.importantDates.${draft.schedule?.importantDates?.length ?? 0}`, {
            kind: "EXAM",
            title: "Midterm",
            // A first guess on the course's first day, to be changed.
            startsAt: `${draft.course?.startDate ?? "2027-01-01"}T10:00`,
          })
        }
      >
        Add an important date
      </AddEntryButton>
    </div>
  );
}
