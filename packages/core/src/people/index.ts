export { describeUser } from "./describe-user";
export { findOrCreateUserByEmail, usernameBaseFromEmail } from "./create-user";
