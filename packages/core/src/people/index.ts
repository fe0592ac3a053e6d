export { describeUser } from "./describe-user";
export {
  createPeople,
  findOrCreateUserByEmail,
  usernameBaseFromEmail,
  usernamePattern,
  type CreatedPeople,
  type NewPerson,
} from "./create-user";
export {
  institutionProviderId,
  loadSignInProviderConfigs,
  resolveExternalSignIn,
  type ExternalSignIn,
  type SignInDecision,
  type SignInProviderConfig,
  type SocialProviderSettings,
} from "./sign-in";
export {
  configureInstitutionSignIn,
  describeIdentitySettings,
  institutionSignInSchema,
  rotateHubClientSecret,
  type InstitutionSignInInput,
} from "./identity-admin";
export { listHomeTasks, type HomeTasks } from "./home";
export { grantOperator, listOperators } from "./operators";
