import type { HubRequestDraft } from "@hubfed/core/request-form";
import { weekdayNames } from "~/lib/format";

const mebibytes = (mib: number | undefined) =>
  mib === undefined ? "—" : mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`;
const cpus = (milli: number | undefined) => (milli === undefined ? "—" : `${milli / 1000} CPU`);

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-[11rem_1fr] sm:gap-3">
      <dt className="text-sm text-slate-500">{term}</dt>
      <dd className="min-w-0 break-words text-sm">{children}</dd>
    </div>
  );
}

/**
 * Everything a hub request asks for, as a person reads it: the last step of
 * the request form (what will be submitted) and the ops review (what is
 * being approved) show the same summary.
 */
export function RequestSummary({
  form,
  regionName,
}: {
  form: HubRequestDraft;
  /** The preferred region's display name, when known. */
  regionName?: string;
}) {
  const { institution, course, schedule, audience, resources, environment, identity, placement } =
    form;
  const image =
    environment?.image?.kind === "custom"
      ? environment.image.reference
      : environment?.image?.kind === "curated"
        ? environment.image.name
        : undefined;
  return (
    <dl className="divide-y divide-slate-100" data-testid="request-summary">
      <Row term="Course">
        {[course?.code, course?.title].filter(Boolean).join(": ") || "—"}
        {course?.term ? ` · ${course.term}` : ""}
        {course?.startDate && course.endDate ? ` · ${course.startDate} to ${course.endDate}` : ""}
        {course?.timezone ? ` (${course.timezone})` : ""}
      </Row>
      <Row term="Institution">
        {institution?.name ?? "—"}
        {institution?.emailDomains?.length ? ` · ${institution.emailDomains.join(", ")}` : ""}
      </Row>
      <Row term="Contacts">
        {institution?.contacts?.length ? (
          <ul>
            {institution.contacts.map((contact, index) => (
              <li key={index}>
                {contact.name} ({contact.role}) · {contact.email}
              </li>
            ))}
          </ul>
        ) : (
          "—"
        )}
      </Row>
      <Row term="Students">
        {audience?.expectedEnrollment ?? "—"} students, up to{" "}
        {audience?.expectedConcurrentUsers ?? "—"} at the same time
      </Row>
      <Row term="Each student's server">
        {mebibytes(resources?.memoryGuaranteeMib)} memory guaranteed (up to{" "}
        {mebibytes(resources?.memoryLimitMib)}), {cpus(resources?.cpuGuaranteeMilli)} guaranteed (up
        to {cpus(resources?.cpuLimitMilli)}), {resources?.storageGib ?? "—"} GiB of storage
      </Row>
      <Row term="Weekly meetings">
        {schedule?.meetings?.length ? (
          <ul>
            {schedule.meetings.map((meeting, index) => (
              <li key={index}>
                {meeting.label}: {weekdayNames[(meeting.dayOfWeek ?? 1) - 1]} {meeting.startTime},{" "}
                {meeting.durationMinutes} min
              </li>
            ))}
          </ul>
        ) : (
          "none given"
        )}
      </Row>
      <Row term="Important dates">
        {schedule?.importantDates?.length ? (
          <ul>
            {schedule.importantDates.map((date, index) => (
              <li key={index}>
                {date.title} ({date.kind.toLowerCase()}): {date.startsAt.replace("T", " ")}
                {date.endsAt ? ` to ${date.endsAt.replace("T", " ")}` : ""}
              </li>
            ))}
          </ul>
        ) : (
          "none given"
        )}
      </Row>
      <Row term="Environment">
        {environment?.interface ?? "—"}
        {image ? ` · image ${image}` : ""}
      </Row>
      <Row term="Autograder">
        {environment?.autograder === false
          ? "off"
          : "on: assignments, checks in the notebook and a gradebook"}
      </Row>
      <Row term="Course material from">
        {environment?.contentSources?.length ? environment.contentSources.join(", ") : "none given"}
      </Row>
      <Row term="Sign-in">
        {identity?.provider ?? "—"}
        {identity?.issuerUrl ? ` (${identity.issuerUrl})` : ""}
        {identity?.allowedEmailDomains?.length
          ? ` · for ${identity.allowedEmailDomains.join(", ")}`
          : ""}
      </Row>
      <Row term="Preferred placement">
        {regionName ?? placement?.preferredRegion ?? "—"}
        {placement?.preferredCloud ? ` · ${placement.preferredCloud}` : ""}
      </Row>
      <Row term="Funding note">{placement?.fundingNote || "—"}</Row>
    </dl>
  );
}
