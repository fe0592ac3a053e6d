import type { DraftBinding } from "../draft-binding";
import { DraftTextField } from "../draft-fields";

/** Step 2: the course itself and the dates of its term. */
export function CourseStep({ form }: { form: DraftBinding }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <DraftTextField form={form} path="course.code" label="Course code" placeholder="DATA 101" />
      <DraftTextField
        form={form}
        path="course.title"
        label="Course title"
        placeholder="Foundations of Data Science"
      />
      <DraftTextField form={form} path="course.term" label="Term" placeholder="Spring 2027" />
      <DraftTextField
        form={form}
        path="course.timezone"
        label="Time zone"
        placeholder="America/Los_Angeles"
      />
      <DraftTextField form={form} path="course.startDate" label="Start date" type="date" />
      <DraftTextField form={form} path="course.endDate" label="End date" type="date" />
      <DraftTextField
        form={form}
        path="course.lmsCourseId"
        label="LMS course id (optional)"
        hint="For a later LMS integration, e.g. a Canvas course id."
      />
    </div>
  );
}
