import { RequestSummary } from "../../request-summary";
import type { DraftBinding } from "../draft-binding";
import { Field, fieldId, SelectInput } from "../fields";
import type { RequestOptions, RequestRegion } from "../request-options";

/** Step 6: where the hub should run and who pays, then the whole request as ops will review it. */
export function PlacementStep({
  form,
  regions,
  region,
}: {
  form: DraftBinding;
  regions: RequestOptions;
  /** The preferred region: its clouds are the ones offered. */
  region: RequestRegion | undefined;
}) {
  const { draft, set, errorsFor } = form;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Field
        path="placement.preferredRegion"
        label="Preferred region"
        errors={errorsFor("placement.preferredRegion")}
      >
        <SelectInput
          path="placement.preferredRegion"
          value={draft.placement?.preferredRegion}
          onChange={(next) => set("placement.preferredRegion", next)}
          options={regions.map((candidate) => ({ value: candidate.slug, label: candidate.name }))}
          hasError={Boolean(errorsFor("placement.preferredRegion"))}
        />
      </Field>
      <Field
        path="placement.preferredCloud"
        label="Preferred cloud (optional)"
        errors={errorsFor("placement.preferredCloud")}
      >
        <SelectInput
          path="placement.preferredCloud"
          value={draft.placement?.preferredCloud}
          onChange={(next) => set("placement.preferredCloud", next)}
          options={(region?.clouds ?? []).map((cloud) => ({
            value: cloud,
            label: cloud.toUpperCase(),
          }))}
          hasError={false}
        />
      </Field>
      <div className="md:col-span-2">
        <Field
          path="placement.fundingNote"
          label="Funding note (optional)"
          hint="A grant or budget that covers this course, if any."
          errors={errorsFor("placement.fundingNote")}
        >
          <textarea
            id={fieldId("placement.fundingNote")}
            value={draft.placement?.fundingNote ?? ""}
            onChange={(event) => set("placement.fundingNote", event.target.value || undefined)}
            rows={3}
            className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
        </Field>
      </div>
      <div className="md:col-span-2">
        <h3 className="text-base font-semibold">What you will submit</h3>
        <p className="text-sm text-slate-600">
          Ops review exactly this; the steps above change it.
        </p>
        <RequestSummary form={draft} regionName={region?.name} />
      </div>
    </div>
  );
}
