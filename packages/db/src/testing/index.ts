export {
  createTestDatabase,
  createEmptyDatabase,
  prepareTemplateDatabase,
  type TestDatabase,
} from "./test-database";
export { useTestDatabase, testRedisUrl, testDatabaseAdminUrl } from "./vitest";
export { describeDatabaseSchema, type DatabaseSchemaDescription } from "./describe-schema";
export { createTestCourse } from "./fixtures";
