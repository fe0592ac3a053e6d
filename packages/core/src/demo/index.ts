export { seedDemoData, demoUsers, demoContentLinks, type DemoUser, type SeedReport } from "./seed";
export { simulateUsageDay } from "./simulate-usage";
export { bringUpLocalHubs, type DemoHubProgress, type DemoHubsOutcome } from "./bring-up";
export { demoTour, formatDemoTour, type TourStop } from "./tour";
export { demoAssignment, demoLabFiles } from "./assignments";
