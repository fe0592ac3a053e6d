"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { defaultDraft, type HubRequestDraft } from "@hubfed/core/request-form";
import { splitSavableDraft } from "@hubfed/core/request-draft";
import { fieldErrorsOf } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";

export type SaveState = "idle" | "saving" | "saved" | "error";

/** What an autosave would send for this draft: a save happens only when it changes. */
function savedKeyOf(draft: HubRequestDraft): string {
  const savable = splitSavableDraft(draft);
  return JSON.stringify({ draft: savable.draft, withheld: savable.withheldPaths });
}

/** The server's per-field messages, keyed by the draft's own paths (the API nests them under "draft."). */
function serverFieldErrors(error: unknown): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrorsOf(error)))
    errors[key.replace(/^draft\./, "")] = messages;
  return errors;
}

/**
 * The hub request being edited: loaded (or started from the first region's defaults), saved a
 * moment after each change, and submitted. The draft stays undefined until the form can start.
 */
export function useRequestDraft({
  requestId: initialRequestId,
  requesterEmailDomain,
}: {
  requestId?: string;
  requesterEmailDomain?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const options = useQuery(trpc.request.options.queryOptions());
  const existing = useQuery({
    ...trpc.request.get.queryOptions({ requestId: initialRequestId ?? "" }),
    enabled: Boolean(initialRequestId),
  });
  // A new request gets its id from its first save.
  const [requestId, setRequestId] = useState(initialRequestId);
  const [draft, setDraft] = useState<HubRequestDraft>();
  // Fields the last save left out because their value is not valid yet (their saved value stands).
  const [withheldPaths, setWithheldPaths] = useState<string[]>([]);
  const [saveState, setSaveState] = useState<SaveState>("idle");
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const lastSaved = useRef<string>("");

  // Start from the saved draft, or from the region's defaults for a new request.
  useEffect(() => {
    if (draft) return;
    if (initialRequestId && existing.data) {
      const loaded = existing.data.form as HubRequestDraft;
      setDraft(loaded);
      lastSaved.current = savedKeyOf(loaded);
    } else if (!initialRequestId && options.data?.[0]) {
      const initial = defaultDraft({
        emailDomain: requesterEmailDomain,
        defaults: options.data[0].defaults,
      });
      setDraft(initial);
      // Nothing is saved until the person changes something: opening the form makes no draft.
      lastSaved.current = savedKeyOf(initial);
    }
  }, [draft, initialRequestId, existing.data, options.data, requesterEmailDomain]);

  const saveDraft = useMutation(trpc.request.saveDraft.mutationOptions());
  const submit = useMutation(trpc.request.submit.mutationOptions());

  // Autosave: a moment after the last keystroke, save what is valid.
  useEffect(() => {
    if (!draft) return;
    const savable = splitSavableDraft(draft);
    const serialized = savedKeyOf(draft);
    if (serialized === lastSaved.current) return;
    const timer = setTimeout(() => {
      setSaveState("saving");
      saveDraft.mutate(
        { requestId, draft: savable.draft, withheldPaths: savable.withheldPaths },
        {
          onSuccess: (saved) => {
            lastSaved.current = serialized;
            setServerErrors({});
            setWithheldPaths(savable.withheldPaths);
            setSaveState("saved");
            if (!requestId) {
              setRequestId(saved.id);
              window.history.replaceState(null, "", `/request?id=${saved.id}`);
            }
          },
          onError: (error) => {
            setServerErrors(serverFieldErrors(error));
            setSaveState("error");
          },
        },
      );
    }, 600);
    return () => clearTimeout(timer);
    // Re-run only when the draft or its id changes: saveDraft is a new object every render.
  }, [draft, requestId]);

  /** Saves the whole draft, then submits it and opens its status page; problems land on their fields. */
  async function saveAndSubmit() {
    if (!draft) return;
    const saved = await saveDraft.mutateAsync({ requestId, draft }).catch((error: unknown) => {
      setServerErrors(serverFieldErrors(error));
      return undefined;
    });
    if (!saved) return;
    lastSaved.current = savedKeyOf(draft);
    await submit.mutateAsync({ requestId: saved.id }).then(
      () => {
        // The status page must not show the cached status from before the submission.
        void queryClient.invalidateQueries({
          queryKey: trpc.request.get.queryKey({ requestId: saved.id }),
        });
        router.push(`/requests/${saved.id}`);
      },
      (error: unknown) => setServerErrors(serverFieldErrors(error)),
    );
  }

  return {
    options,
    existing,
    draft,
    setDraft,
    withheldPaths,
    saveState,
    serverErrors,
    saveAndSubmit,
    isSubmitting: submit.isPending,
  };
}
