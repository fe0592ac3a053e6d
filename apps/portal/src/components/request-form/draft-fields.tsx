import type { ReactNode } from "react";
import type { DraftBinding } from "./draft-binding";
import { Field, NumberInput, TextInput } from "./fields";

/** A labelled text input bound to one path of the draft, with that path's messages. */
export function DraftTextField({
  form,
  path,
  label,
  hint,
  type,
  placeholder,
}: {
  form: DraftBinding;
  path: string;
  label: string;
  hint?: string;
  type?: string;
  placeholder?: string;
}) {
  const errors = form.errorsFor(path);
  return (
    <Field path={path} label={label} hint={hint} errors={errors}>
      <TextInput
        path={path}
        value={form.value<string>(path)}
        onChange={(next) => form.set(path, next)}
        hasError={Boolean(errors)}
        type={type}
        placeholder={placeholder}
      />
    </Field>
  );
}

/** A labelled number input bound to one path of the draft, with that path's messages. */
export function DraftNumberField({
  form,
  path,
  label,
  hint,
}: {
  form: DraftBinding;
  path: string;
  label: string;
  hint?: string;
}) {
  const errors = form.errorsFor(path);
  return (
    <Field path={path} label={label} hint={hint} errors={errors}>
      <NumberInput
        path={path}
        value={form.value<number>(path)}
        onChange={(next) => form.set(path, next)}
        hasError={Boolean(errors)}
      />
    </Field>
  );
}

/** Messages about a whole list ("Contacts must have at least one entry"), shown by the list. */
export function ListErrors({ label, errors }: { label: string; errors: string[] | undefined }) {
  if (!errors) return null;
  return (
    <p role="alert" className="text-sm text-red-700">
      {label} {errors.join("; ")}
    </p>
  );
}

/** The button that adds an entry to a list (a contact, a meeting, a date). */
export function AddEntryButton({
  onClick,
  children,
}: {
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
    >
      {children}
    </button>
  );
}

/** The button inside a list entry that removes it. */
export function RemoveEntryButton({
  onClick,
  children,
}: {
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" onClick={onClick} className="text-left text-sm text-red-700 underline">
      {children}
    </button>
  );
}
