import { FieldError } from "~/components/form/field-error";
import { inputClass } from "~/components/form/form-classes";

/**
 * One filter of a table's GET form: a labelled select whose first choice ("Any …") leaves the
 * filter unset, with the message of a malformed value under it.
 */
export function FilterSelect({
  id,
  name,
  label,
  value,
  anyLabel,
  options,
  errors,
  className = inputClass,
}: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  anyLabel: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  errors?: string[];
  className?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={className}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError errors={errors} id={`${id}-error`} />
    </div>
  );
}
