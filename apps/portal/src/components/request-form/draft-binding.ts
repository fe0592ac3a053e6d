import type { Dispatch, SetStateAction } from "react";
import type { HubRequestDraft } from "@hubfed/core/request-form";
import { readPath, removePath, writePath } from "~/lib/paths";

/**
 * What each step's fields need from the form, by dotted path ("schedule.meetings.0.label"): the
 * value, a way to change it, and the messages to show on it.
 */
export type DraftBinding = {
  draft: HubRequestDraft;
  value: <T>(path: string) => T | undefined;
  /** Changes one field and marks it touched, so its problems show from now on. */
  set: (path: string, value: unknown) => void;
  /** Removes a list entry ("institution.contacts.1"); the entries after it move up. */
  remove: (path: string) => void;
  /** The field's messages: the server's always, the form's own checks only once they are shown. */
  errorsFor: (path: string) => string[] | undefined;
  /** A list field's own messages and its entries' ("…contentSources.2"), together. */
  errorsUnder: (path: string) => string[] | undefined;
};

export function bindDraft({
  draft,
  setDraft,
  setTouched,
  clientErrors,
  serverErrors,
  isShown,
}: {
  draft: HubRequestDraft;
  setDraft: Dispatch<SetStateAction<HubRequestDraft | undefined>>;
  setTouched: Dispatch<SetStateAction<Set<string>>>;
  clientErrors: Record<string, string[]>;
  serverErrors: Record<string, string[]>;
  /** Whether the form's own check of this field is shown yet (touched, withheld, step checked…). */
  isShown: (path: string) => boolean;
}): DraftBinding {
  const errorsFor = (path: string): string[] | undefined => {
    const messages = [
      ...(serverErrors[path] ?? []),
      ...(isShown(path) ? (clientErrors[path] ?? []) : []),
    ];
    return messages.length ? [...new Set(messages)] : undefined;
  };
  return {
    draft,
    value: <T>(path: string) => readPath(draft, path) as T | undefined,
    set: (path, value) => {
      setDraft((current) => writePath(current ?? {}, path, value));
      setTouched((current) => new Set(current).add(path));
    },
    remove: (path) => setDraft(removePath(draft, path)),
    errorsFor,
    errorsUnder: (path) => {
      const keys = [...Object.keys(clientErrors), ...Object.keys(serverErrors)].filter(
        (key) => key === path || key.startsWith(`${path}.`),
      );
      const messages = [...new Set(keys.flatMap((key) => errorsFor(key) ?? []))];
      return messages.length > 0 ? messages : undefined;
    },
  };
}
