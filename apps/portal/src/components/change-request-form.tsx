"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";

interface CurrentSpec {
  memoryGuaranteeMib: number;
  memoryLimitMib: number;
  cpuGuaranteeMilli: number;
  cpuLimitMilli: number;
  storageGib: number;
  image: string;
  isAutograderEnabled: boolean;
  courseEndDate: string;
}

type ChangeKind = "resources" | "storage" | "end-date" | "image" | "autograder";

const inputClass = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** An instructor asks for a change to their running hub; ops review it like a new request. */
export function ChangeRequestForm({ hubSlug, current }: { hubSlug: string; current: CurrentSpec }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [kind, setKind] = useState<ChangeKind>("resources");
  const [memoryGuaranteeMib, setMemoryGuaranteeMib] = useState(current.memoryGuaranteeMib * 2);
  const [startsOn, setStartsOn] = useState("");
  const [endsOn, setEndsOn] = useState("");
  const [storageGib, setStorageGib] = useState(current.storageGib * 2);
  const [endDate, setEndDate] = useState("");
  const [image, setImage] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const submit = useMutation(
    trpc.request.requestHubChange.mutationOptions({
      onSuccess: (saved) => router.push(`/requests/${saved.id}`),
      onError: (error) => setErrors(fieldErrorsOrMessage(error)),
    }),
  );

  function change() {
    switch (kind) {
      case "resources":
        return {
          kind,
          memoryGuaranteeMib,
          memoryLimitMib: Math.max(current.memoryLimitMib, memoryGuaranteeMib),
          cpuGuaranteeMilli: current.cpuGuaranteeMilli,
          cpuLimitMilli: current.cpuLimitMilli,
          startsOn,
          endsOn,
        };
      case "storage":
        return { kind, storageGib };
      case "end-date":
        return { kind, endDate };
      case "image":
        return { kind, image: { kind: "custom" as const, reference: image } };
      case "autograder":
        return { kind, isEnabled: !current.isAutograderEnabled };
    }
  }

  /** The messages of these fields, under the field they are about. */
  const errorsOf = (...keys: string[]) => {
    const messages = keys.flatMap((key) => errors[key] ?? []);
    return messages.length > 0 ? (
      <span role="alert" className="mt-1 block text-sm text-red-700">
        {messages.join("; ")}
      </span>
    ) : null;
  };
  // Messages no field shows (a refusal of the whole request) go above the button.
  const shownKeys = [
    "reason",
    "change.memoryGuaranteeMib",
    "change.memoryLimitMib",
    "change.startsOn",
    "change.endsOn",
    "change.storageGib",
    "change.endDate",
    "change.image",
    "change.image.reference",
  ];
  const otherMessages = Object.entries(errors)
    .filter(([key]) => !shownKeys.includes(key))
    .flatMap(([, messages]) => messages);

  return (
    <form
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-5"
      aria-labelledby="change-heading"
      onSubmit={(event) => {
        event.preventDefault();
        submit.mutate({ hubSlug, reason, change: change() });
      }}
    >
      <h2 id="change-heading" className="text-lg font-semibold">
        Request a change
      </h2>
      <label className="block text-sm">
        What to change
        <select
          value={kind}
          onChange={(event) => setKind(event.target.value as ChangeKind)}
          className={inputClass}
        >
          <option value="resources">More memory for a few days (an exam week)</option>
          <option value="storage">More storage per student</option>
          <option value="end-date">A later end date</option>
          <option value="image">A new image</option>
          <option value="autograder">
            {current.isAutograderEnabled ? "Turn the autograder off" : "Turn the autograder on"}
          </option>
        </select>
      </label>
      {kind === "resources" ? (
        <div className="grid gap-3 md:grid-cols-3">
          <label className="block text-sm">
            Memory per student (MiB)
            <input
              type="number"
              value={memoryGuaranteeMib}
              onChange={(event) => setMemoryGuaranteeMib(Number(event.target.value))}
              className={inputClass}
            />
            {errorsOf("change.memoryGuaranteeMib", "change.memoryLimitMib")}
          </label>
          <label className="block text-sm">
            From
            <input
              type="date"
              value={startsOn}
              onChange={(event) => setStartsOn(event.target.value)}
              className={inputClass}
            />
            {errorsOf("change.startsOn")}
          </label>
          <label className="block text-sm">
            Until (reverts after)
            <input
              type="date"
              value={endsOn}
              onChange={(event) => setEndsOn(event.target.value)}
              className={inputClass}
            />
            {errorsOf("change.endsOn")}
          </label>
        </div>
      ) : null}
      {kind === "storage" ? (
        <label className="block text-sm">
          Storage per student (GiB, now {current.storageGib})
          <input
            type="number"
            value={storageGib}
            onChange={(event) => setStorageGib(Number(event.target.value))}
            className={inputClass}
          />
          {errorsOf("change.storageGib")}
        </label>
      ) : null}
      {kind === "end-date" ? (
        <label className="block text-sm">
          New end date (now {current.courseEndDate})
          <input
            type="date"
            value={endDate}
            onChange={(event) => setEndDate(event.target.value)}
            className={inputClass}
          />
          {errorsOf("change.endDate")}
        </label>
      ) : null}
      {kind === "image" ? (
        <label className="block text-sm">
          Image reference (now {current.image})
          <input
            value={image}
            onChange={(event) => setImage(event.target.value)}
            placeholder="quay.io/org/image:2027-01"
            className={inputClass}
          />
          {errorsOf("change.image", "change.image.reference")}
        </label>
      ) : null}
      {kind === "autograder" ? (
        <p className="text-sm text-slate-600">
          {current.isAutograderEnabled
            ? "Students will no longer be able to check or submit from their notebooks; grades already given stay in the gradebook."
            : "Students get check() and submit() in their notebooks, and the course gets assignments and a gradebook."}
          {errorsOf("change.isEnabled")}
        </p>
      ) : null}
      <label className="block text-sm">
        Why
        <textarea
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          rows={2}
          maxLength={2000}
          className={inputClass}
        />
        {errorsOf("reason")}
      </label>
      {otherMessages.length > 0 ? (
        <p role="alert" className="text-sm text-red-700">
          {otherMessages.join("; ")}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={submit.isPending}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white disabled:opacity-50"
      >
        Send for review
      </button>
    </form>
  );
}
