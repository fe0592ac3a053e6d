export type { OkTest, OkTestCase, OkTestSuite } from "./types";
