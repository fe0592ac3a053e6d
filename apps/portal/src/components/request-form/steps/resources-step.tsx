import type { DraftBinding } from "../draft-binding";
import { DraftNumberField } from "../draft-fields";
import { Field, optionValue, SelectInput } from "../fields";

// The sizes offered per student server; guarantee and limit choose from the same lists.
const memoryOptions = [512, 1024, 2048, 4096, 8192].map((mib) => ({
  value: String(mib),
  label: mib >= 1024 ? `${mib / 1024} GiB` : `${mib} MiB`,
}));
const cpuOptions = [100, 250, 500, 1000, 2000, 4000].map((milli) => ({
  value: String(milli),
  label: `${milli / 1000} CPU`,
}));

/** A select of sizes for one resource path, kept in the draft as a number. */
function SizeField({
  form,
  path,
  label,
  hint,
  options,
}: {
  form: DraftBinding;
  path: string;
  label: string;
  hint?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
}) {
  const errors = form.errorsFor(path);
  return (
    <Field path={path} label={label} hint={hint} errors={errors}>
      <SelectInput
        path={path}
        value={optionValue(form.value<number>(path))}
        onChange={(next) => form.set(path, Number(next))}
        options={options}
        hasError={Boolean(errors)}
      />
    </Field>
  );
}

/** Step 4: how many students, and what each one's server gets (this drives the estimate). */
export function ResourcesStep({ form }: { form: DraftBinding }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <DraftNumberField
        form={form}
        path="audience.expectedEnrollment"
        label="Expected enrollment"
        hint="Students who will use the hub this term."
      />
      <DraftNumberField
        form={form}
        path="audience.expectedConcurrentUsers"
        label="Students at the same time"
        hint="The most at once, usually everyone in a lab or lecture."
      />
      <SizeField
        form={form}
        path="resources.memoryGuaranteeMib"
        label="Memory per student (guaranteed)"
        hint="What each server is given and what the hub pays for: the main driver of cost."
        options={memoryOptions}
      />
      <SizeField
        form={form}
        path="resources.memoryLimitMib"
        label="Memory per student (limit)"
        hint="A server may burst up to this when the node has room; it is not billed."
        options={memoryOptions}
      />
      <SizeField
        form={form}
        path="resources.cpuGuaranteeMilli"
        label="CPU per student (guaranteed)"
        hint="Most notebooks need a quarter of a core; more fits fewer students per node."
        options={cpuOptions}
      />
      <SizeField
        form={form}
        path="resources.cpuLimitMilli"
        label="CPU per student (limit)"
        options={cpuOptions}
      />
      <DraftNumberField
        form={form}
        path="resources.storageGib"
        label="Storage per student (GiB)"
        hint="Each student's home directory, kept for the whole term."
      />
    </div>
  );
}
