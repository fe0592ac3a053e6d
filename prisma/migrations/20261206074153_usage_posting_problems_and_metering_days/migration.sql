-- CreateEnum
CREATE TYPE "UsagePostingProblemKind" AS ENUM ('UNFUNDED', 'FAILED');

-- CreateTable
CREATE TABLE "UsagePostingProblem" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "kind" "UsagePostingProblemKind" NOT NULL,
    "costCents" BIGINT NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "firstFailedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastFailedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "UsagePostingProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeteringDay" (
    "day" DATE NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "postedHubs" INTEGER NOT NULL,
    "problemHubs" INTEGER NOT NULL,

    CONSTRAINT "MeteringDay_pkey" PRIMARY KEY ("day")
);

-- CreateIndex
CREATE INDEX "UsagePostingProblem_resolvedAt_idx" ON "UsagePostingProblem"("resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "UsagePostingProblem_hubId_day_key" ON "UsagePostingProblem"("hubId", "day");

-- AddForeignKey
ALTER TABLE "UsagePostingProblem" ADD CONSTRAINT "UsagePostingProblem_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;
