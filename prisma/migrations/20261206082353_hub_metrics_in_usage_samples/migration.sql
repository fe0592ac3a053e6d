-- AlterTable
ALTER TABLE "UsageSample" ADD COLUMN     "hubActiveUsers24h" INTEGER,
ADD COLUMN     "hubSpawnSecondsSum" DOUBLE PRECISION,
ADD COLUMN     "hubSpawnsFailed" INTEGER,
ADD COLUMN     "hubSpawnsSucceeded" INTEGER;
