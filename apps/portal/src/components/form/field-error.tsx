/** A small form's messages for one field (or the whole form), announced to screen readers. */
export function FieldError({ errors, id }: { errors?: string[]; id?: string }) {
  if (!errors || errors.length === 0) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-sm text-red-700">
      {errors.join("; ")}
    </p>
  );
}
