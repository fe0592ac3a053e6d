-- CreateEnum
CREATE TYPE "HubAccessRevocationReason" AS ENUM ('UNENROLLED', 'ROLE_CHANGED');

-- CreateEnum
CREATE TYPE "HubAccessRevocationStatus" AS ENUM ('PENDING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "JoinCode" ADD COLUMN     "boundEmails" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "HubAccessRevocation" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "reason" "HubAccessRevocationReason" NOT NULL,
    "status" "HubAccessRevocationStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HubAccessRevocation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HubAccessRevocation_hubId_status_idx" ON "HubAccessRevocation"("hubId", "status");

-- CreateIndex
CREATE INDEX "HubAccessRevocation_userId_idx" ON "HubAccessRevocation"("userId");

-- AddForeignKey
ALTER TABLE "HubAccessRevocation" ADD CONSTRAINT "HubAccessRevocation_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;
