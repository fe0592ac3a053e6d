export { describeUser } from "./describe-user";
