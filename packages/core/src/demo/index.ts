export { seedDemoData, demoUsers, type DemoUser, type SeedReport } from "./seed";
