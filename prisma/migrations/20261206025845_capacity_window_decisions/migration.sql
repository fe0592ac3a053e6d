-- CreateEnum
CREATE TYPE "CapacityWindowStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- AlterTable
ALTER TABLE "CapacityWindow" ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedById" TEXT,
ADD COLUMN     "decisionNote" TEXT,
ADD COLUMN     "estimatedCostCents" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "memoryMibPerSeat" INTEGER NOT NULL DEFAULT 512,
ADD COLUMN     "status" "CapacityWindowStatus" NOT NULL DEFAULT 'APPROVED',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "leadTimeMinutes" INTEGER NOT NULL DEFAULT 15;

-- CreateIndex
CREATE INDEX "CapacityWindow_status_idx" ON "CapacityWindow"("status");

-- AddForeignKey
ALTER TABLE "CapacityWindow" ADD CONSTRAINT "CapacityWindow_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
