-- CreateEnum
CREATE TYPE "LatePolicy" AS ENUM ('NONE', 'PENALTY_PER_DAY', 'HARD_CUTOFF');

-- CreateEnum
CREATE TYPE "HiddenResultsVisibility" AS ENUM ('IMMEDIATELY', 'AFTER_DUE', 'NEVER');

-- CreateEnum
CREATE TYPE "AssignmentSource" AS ENUM ('REPOSITORY', 'UPLOAD');

-- CreateEnum
CREATE TYPE "SubmissionStatus" AS ENUM ('QUEUED', 'GRADING', 'GRADED', 'FAILED', 'TIMED_OUT');

-- CreateEnum
CREATE TYPE "SubmissionChannel" AS ENUM ('NOTEBOOK', 'PORTAL');

-- AlterTable
ALTER TABLE "ContentLink" ADD COLUMN     "assignmentId" TEXT;

-- CreateTable
CREATE TABLE "Assignment" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "latePolicy" "LatePolicy" NOT NULL DEFAULT 'NONE',
    "latePenaltyPercentPerDay" INTEGER,
    "points" INTEGER NOT NULL,
    "attemptsAllowed" INTEGER,
    "hiddenResults" "HiddenResultsVisibility" NOT NULL DEFAULT 'AFTER_DUE',
    "source" "AssignmentSource" NOT NULL,
    "repositoryUrl" TEXT,
    "branch" TEXT,
    "repositoryPath" TEXT,
    "notebookName" TEXT NOT NULL,
    "material" JSONB NOT NULL,
    "materialRevision" INTEGER NOT NULL DEFAULT 1,
    "publishedAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Submission" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "channel" "SubmissionChannel" NOT NULL,
    "notebook" TEXT NOT NULL,
    "notebookSha256" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "SubmissionStatus" NOT NULL DEFAULT 'QUEUED',
    "gradingRound" INTEGER NOT NULL DEFAULT 1,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "gradingAttempts" INTEGER NOT NULL DEFAULT 0,
    "gradedAt" TIMESTAMP(3),
    "daysLate" INTEGER NOT NULL DEFAULT 0,
    "penaltyPercent" INTEGER NOT NULL DEFAULT 0,
    "testScore" DOUBLE PRECISION,
    "testMaxScore" DOUBLE PRECISION,
    "score" DOUBLE PRECISION,
    "results" JSONB,
    "failureReason" TEXT,
    "failureDetail" TEXT,
    "gradingMillis" INTEGER,
    "notebookMillis" INTEGER,
    "materialRevision" INTEGER NOT NULL,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Assignment_courseId_dueAt_idx" ON "Assignment"("courseId", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_courseId_slug_key" ON "Assignment"("courseId", "slug");

-- CreateIndex
CREATE INDEX "Submission_assignmentId_userId_submittedAt_idx" ON "Submission"("assignmentId", "userId", "submittedAt");

-- CreateIndex
CREATE INDEX "Submission_status_leaseExpiresAt_idx" ON "Submission"("status", "leaseExpiresAt");

-- CreateIndex
CREATE INDEX "Submission_status_queuedAt_idx" ON "Submission"("status", "queuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_assignmentId_userId_attempt_key" ON "Submission"("assignmentId", "userId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "ContentLink_assignmentId_key" ON "ContentLink"("assignmentId");

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentLink" ADD CONSTRAINT "ContentLink_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
