import { describe, expect, it } from "vitest";
import { usernameBaseFromEmail, usernamePattern } from "./create-user";

describe("usernameBaseFromEmail", () => {
  it.each([
    ["ana.rivera@westvalley.edu", "ana-rivera"],
    ["Sam_Chen+cs@cascade.edu", "sam-chen-cs"],
    ["123abc@x.edu", "abc"],
    ["José.Núñez@x.edu", "jose-nunez"],
    ["---@x.edu", "user"],
    ["a-very-long-local-part-that-goes-on-and-on@x.edu", "a-very-long-local-part-t"],
    ["ana-2@x.edu", "ana-2"],
    ["ｊｏｓｅ@x.edu", "jose"],
    ["用户@x.edu", "user"],
    [`${"b".repeat(64)}@x.edu`, "b".repeat(24)],
    ["abcdefghijklmnopqrstuvw-xyz@x.edu", "abcdefghijklmnopqrstuvw"],
  ])("%s → %s", (email, expected) => {
    const username = usernameBaseFromEmail(email);
    expect(username).toBe(expected);
    expect(username).toMatch(usernamePattern);
    expect(username.length).toBeLessThanOrEqual(24);
  });
});
