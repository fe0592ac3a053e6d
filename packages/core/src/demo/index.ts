export { seedDemoData, demoUsers, type DemoUser, type SeedReport } from "./seed";
export { simulateUsageDay } from "./simulate-usage";
