-- AlterTable
ALTER TABLE "Hub" ADD COLUMN     "reconcileLeaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "reconcileLeaseOwner" TEXT,
ADD COLUMN     "runtimeState" JSONB;
