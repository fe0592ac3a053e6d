import type { DraftBinding } from "../draft-binding";
import { AddEntryButton, DraftTextField, ListErrors, RemoveEntryButton } from "../draft-fields";
import { Field, ListInput } from "../fields";

/** Step 1: the institution, its email domains and the people to contact there. */
export function InstitutionStep({ form }: { form: DraftBinding }) {
  const { draft, set, remove, errorsFor } = form;
  return (
    <>
      <DraftTextField
        form={form}
        path="institution.name"
        label="Institution name"
        placeholder="West Valley College"
      />
      <Field
        path="institution.emailDomains"
        label="Email domains"
        hint="Comma-separated, e.g. college.edu, students.college.edu"
        errors={errorsFor("institution.emailDomains") ?? errorsFor("institution.emailDomains.0")}
      >
        <ListInput
          path="institution.emailDomains"
          value={draft.institution?.emailDomains}
          onChange={(next) => set("institution.emailDomains", next)}
          hasError={Boolean(errorsFor("institution.emailDomains"))}
        />
      </Field>
      <div className="space-y-3">
        <h3 className="text-sm font-semibold">Contacts</h3>
        <ListErrors label="Contacts" errors={errorsFor("institution.contacts")} />
        {(draft.institution?.contacts ?? []).map((_, index) => (
          <div
            key={index}
            className="grid gap-3 rounded-md border border-slate-200 p-3 md:grid-cols-3"
          >
            <DraftTextField
              form={form}
              path={`institution.contacts.${index}.name`}
              label="Contact name"
            />
            <DraftTextField
              form={form}
              path={`institution.contacts.${index}.email`}
              label="Contact email"
              type="email"
            />
            <DraftTextField
              form={form}
              path={`institution.contacts.${index}.role`}
              label="Contact role"
              placeholder="IT, faculty…"
            />
            <RemoveEntryButton onClick={() => remove(`institution.contacts.${index}`)}>
              Remove contact
            </RemoveEntryButton>
          </div>
        ))}
        <AddEntryButton
          onClick={() =>
            set(`institution.contacts.${draft.institution?.contacts?.length ?? 0}`, {
              name: "",
              email: "",
              role: "",
            })
          }
        >
          Add a contact
        </AddEntryButton>
      </div>
    </>
  );
}
