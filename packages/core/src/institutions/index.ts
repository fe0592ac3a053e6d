export { createInstitutionWithAdmin } from "./create-institution";
