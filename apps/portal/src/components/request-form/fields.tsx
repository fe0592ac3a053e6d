"use client";

import { useState, type ReactNode } from "react";

export function fieldId(path: string): string {
  return `field-${path.replaceAll(".", "-")}`;
}

/** A select's value: undefined (showing "Choose…") when nothing is held, never a default it does not hold. */
export function optionValue(held: number | undefined): string | undefined {
  return held === undefined ? undefined : String(held);
}

/** A labelled control with its errors shown right under it (and announced to screen readers). */
export function Field({
  path,
  label,
  hint,
  errors,
  children,
}: {
  path: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: ReactNode;
}) {
  const errorId = `${fieldId(path)}-error`;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId(path)} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {errors?.length ? (
        <p id={errorId} role="alert" data-field-error={path} className="text-sm text-red-700">
          {label} {errors.join("; ")}
        </p>
      ) : null}
    </div>
  );
}

const inputClass =
  "w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-brand-600";

export function inputClassFor(hasError: boolean): string {
  return `${inputClass} ${hasError ? "border-red-500" : "border-slate-300"}`;
}

export function TextInput({
  path,
  value,
  onChange,
  hasError,
  type = "text",
  placeholder,
}: {
  path: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  hasError: boolean;
  type?: string;
  placeholder?: string;
}) {
  return (
    <input
      id={fieldId(path)}
      type={type}
      value={value ?? ""}
      placeholder={placeholder}
      aria-invalid={hasError}
      aria-describedby={hasError ? `${fieldId(path)}-error` : undefined}
      onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
      className={inputClassFor(hasError)}
    />
  );
}

export function NumberInput({
  path,
  value,
  onChange,
  hasError,
  step,
}: {
  path: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  hasError: boolean;
  step?: number;
}) {
  return (
    <input
      id={fieldId(path)}
      type="number"
      inputMode="decimal"
      step={step}
      value={value ?? ""}
      aria-invalid={hasError}
      aria-describedby={hasError ? `${fieldId(path)}-error` : undefined}
      onChange={(event) =>
        onChange(event.target.value === "" ? undefined : Number(event.target.value))
      }
      className={inputClassFor(hasError)}
    />
  );
}

export function SelectInput<Value extends string>({
  path,
  value,
  onChange,
  options,
  hasError,
}: {
  path: string;
  value: Value | undefined;
  onChange: (value: Value) => void;
  options: ReadonlyArray<{ value: Value; label: string }>;
  hasError: boolean;
}) {
  return (
    <select
      id={fieldId(path)}
      value={value ?? ""}
      aria-invalid={hasError}
      onChange={(event) => onChange(event.target.value as Value)}
      className={inputClassFor(hasError)}
    >
      {value === undefined ? <option value="">Choose…</option> : null}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

/** A comma-separated list kept as an array; the text is kept as typed so commas and spaces can be entered. */
export function ListInput({
  path,
  value,
  onChange,
  hasError,
  placeholder,
}: {
  path: string;
  value: string[] | undefined;
  onChange: (value: string[]) => void;
  hasError: boolean;
  placeholder?: string;
}) {
  const [text, setText] = useState(() => (value ?? []).join(", "));
  return (
    <input
      id={fieldId(path)}
      type="text"
      value={text}
      placeholder={placeholder}
      aria-invalid={hasError}
      onChange={(event) => {
        setText(event.target.value);
        onChange(
          event.target.value
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== ""),
        );
      }}
      className={inputClassFor(hasError)}
    />
  );
}
