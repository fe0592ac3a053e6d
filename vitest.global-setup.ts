// Starts the real services integration tests run against, and migrates the
// template database each test file clones (packages/db/src/testing).
import type { TestProject } from "vitest/node";
import { defaultMigrationsDirectory } from "@hubfed/db/migrations";
import { prepareTemplateDatabase } from "@hubfed/db/testing";
import { startTestServices } from "@hubfed/stack";

export default async function setup(project: TestProject) {
  const services = await startTestServices({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL,
    redisUrl: process.env.TEST_REDIS_URL,
  });
  const templateName = `hubfed_template_${process.pid}`;
  await prepareTemplateDatabase({
    adminUrl: services.databaseAdminUrl,
    templateName,
    migrationsDirectory: defaultMigrationsDirectory,
  });
  project.provide("databaseAdminUrl", services.databaseAdminUrl);
  project.provide("databaseTemplateName", templateName);
  project.provide("redisUrl", services.redisUrl);
  return () => services.stop();
}
