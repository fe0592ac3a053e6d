import { describe, expect, it } from "vitest";
import { usernameBaseFromEmail } from "./create-user";

describe("usernameBaseFromEmail", () => {
  it.each([
    ["ana.rivera@westvalley.edu", "ana-rivera"],
    ["Sam_Chen+cs@cascade.edu", "sam-chen-cs"],
    ["123abc@x.edu", "abc"],
    ["José.Núñez@x.edu", "jose-nunez"],
    ["---@x.edu", "user"],
    ["a-very-long-local-part-that-goes-on-and-on@x.edu", "a-very-long-local-part-t"],
  ])("%s → %s", (email, expected) => {
    const username = usernameBaseFromEmail(email);
    expect(username).toBe(expected);
    expect(username).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
  });
});
