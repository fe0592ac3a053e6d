-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CourseRole" AS ENUM ('INSTRUCTOR', 'TA', 'STUDENT');

-- CreateEnum
CREATE TYPE "ImportantDateKind" AS ENUM ('EXAM', 'ASSIGNMENT_RELEASE', 'DEADLINE', 'OTHER');

-- CreateEnum
CREATE TYPE "CreditSource" AS ENUM ('GRANT', 'FUND', 'PROMO_CODE', 'INSTITUTIONAL');

-- CreateEnum
CREATE TYPE "LimitPolicy" AS ENUM ('NOTIFY', 'SUSPEND');

-- CreateEnum
CREATE TYPE "LedgerAccountKind" AS ENUM ('FUNDING', 'POOL', 'ALLOCATION', 'USAGE', 'EXPIRY');

-- CreateEnum
CREATE TYPE "TransferKind" AS ENUM ('SINGLE', 'PENDING', 'POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING');

-- CreateEnum
CREATE TYPE "HubStatus" AS ENUM ('PENDING', 'PROVISIONING', 'READY', 'DEGRADED', 'UPDATING', 'SUSPENDED', 'DECOMMISSIONING', 'ARCHIVED', 'FAILED');

-- CreateEnum
CREATE TYPE "ConditionStatus" AS ENUM ('TRUE', 'FALSE', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "InstitutionRole" AS ENUM ('ADMIN', 'MEMBER');

-- CreateEnum
CREATE TYPE "LinkInterface" AS ENUM ('LAB', 'CLASSIC', 'RSTUDIO', 'SHINY');

-- CreateEnum
CREATE TYPE "LinkVerification" AS ENUM ('UNVERIFIED', 'OK', 'BROKEN');

-- CreateEnum
CREATE TYPE "CloudProvider" AS ENUM ('AWS', 'GCP', 'AZURE', 'ONPREM');

-- CreateEnum
CREATE TYPE "ClusterRuntime" AS ENUM ('LOCAL', 'KUBERNETES');

-- CreateEnum
CREATE TYPE "HubRequestKind" AS ENUM ('NEW_HUB', 'CHANGE');

-- CreateEnum
CREATE TYPE "HubRequestStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'CHANGES_REQUESTED', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "details" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "href" TEXT,
    "readAt" TIMESTAMP(3),
    "emailedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Course" (
    "id" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "timezone" TEXT NOT NULL,
    "expectedEnrollment" INTEGER NOT NULL,
    "expectedConcurrentUsers" INTEGER NOT NULL,
    "lmsCourseId" TEXT,
    "contentRepositoryAllowList" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CourseMeeting" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "dayOfWeek" INTEGER NOT NULL,
    "startMinute" INTEGER NOT NULL,
    "durationMinutes" INTEGER NOT NULL,

    CONSTRAINT "CourseMeeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportantDate" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "kind" "ImportantDateKind" NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),

    CONSTRAINT "ImportantDate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CapacityWindow" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "seats" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CapacityWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Enrollment" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "role" "CourseRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JoinCode" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "role" "CourseRole" NOT NULL DEFAULT 'STUDENT',
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "useCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JoinCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditPool" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionId" TEXT NOT NULL,
    "cloudId" TEXT NOT NULL,
    "source" "CreditSource" NOT NULL,
    "amountCents" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "ledgerAccountId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditPool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Allocation" (
    "id" TEXT NOT NULL,
    "poolId" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "parentId" TEXT,
    "hubId" TEXT,
    "name" TEXT NOT NULL,
    "budgetCents" BIGINT NOT NULL,
    "limitPolicy" "LimitPolicy" NOT NULL DEFAULT 'NOTIFY',
    "suspendGraceHours" INTEGER NOT NULL DEFAULT 48,
    "ledgerAccountId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Allocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AllocationAlert" (
    "id" TEXT NOT NULL,
    "allocationId" TEXT NOT NULL,
    "thresholdPercent" INTEGER NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AllocationAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerAccount" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "debitsMustNotExceedCredits" BOOLEAN NOT NULL DEFAULT true,
    "postedDebitsCents" BIGINT NOT NULL DEFAULT 0,
    "postedCreditsCents" BIGINT NOT NULL DEFAULT 0,
    "pendingDebitsCents" BIGINT NOT NULL DEFAULT 0,
    "pendingCreditsCents" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerTransfer" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" "TransferKind" NOT NULL,
    "debitAccountId" TEXT NOT NULL,
    "creditAccountId" TEXT NOT NULL,
    "amountCents" BIGINT NOT NULL,
    "pendingTransferId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "reversesTransferId" TEXT,
    "memo" TEXT NOT NULL,
    "metadata" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerTransfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Hub" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "status" "HubStatus" NOT NULL DEFAULT 'PENDING',
    "statusReason" TEXT,
    "url" TEXT,
    "spec" JSONB NOT NULL,
    "specRevision" INTEGER NOT NULL DEFAULT 1,
    "appliedRevision" INTEGER,
    "weight" INTEGER NOT NULL DEFAULT 100,
    "lastHealthyAt" TIMESTAMP(3),
    "lastReconciledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Hub_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubCondition" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" "ConditionStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "message" TEXT,
    "lastTransitionAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HubCondition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisioningRun" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "specRevision" INTEGER NOT NULL,
    "error" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ProvisioningRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisioningStep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "detail" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ProvisioningStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubSpecChange" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "patch" JSONB NOT NULL,
    "previous" JSONB NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "appliedAt" TIMESTAMP(3),
    "revertedAt" TIMESTAMP(3),

    CONSTRAINT "HubSpecChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubOidcClient" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecretEncrypted" TEXT NOT NULL,
    "redirectUris" TEXT[],
    "rotatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HubOidcClient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "username" TEXT NOT NULL,
    "isOperator" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "Institution" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "emailDomains" TEXT[],
    "oidcIssuer" TEXT,
    "oidcClientId" TEXT,
    "oidcClientSecretEncrypted" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Institution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstitutionContact" (
    "id" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "phone" TEXT,

    CONSTRAINT "InstitutionContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstitutionMembership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "role" "InstitutionRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstitutionMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentLink" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "repositoryUrl" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "interface" "LinkInterface" NOT NULL DEFAULT 'LAB',
    "targetPath" TEXT,
    "createdById" TEXT,
    "verification" "LinkVerification" NOT NULL DEFAULT 'UNVERIFIED',
    "verificationMessage" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContentLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentLinkDailyClicks" (
    "linkId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ContentLinkDailyClicks_pkey" PRIMARY KEY ("linkId","day")
);

-- CreateTable
CREATE TABLE "Region" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseDomain" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "hubDefaults" JSONB NOT NULL,
    "prices" JSONB NOT NULL,
    "configHash" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cloud" (
    "id" TEXT NOT NULL,
    "regionId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "provider" "CloudProvider" NOT NULL,
    "billingAccountId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,

    CONSTRAINT "Cloud_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cluster" (
    "id" TEXT NOT NULL,
    "regionId" TEXT NOT NULL,
    "cloudId" TEXT,
    "slug" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "runtime" "ClusterRuntime" NOT NULL,
    "apiServerUrl" TEXT,
    "kubeconfigPath" TEXT,
    "inCluster" BOOLEAN NOT NULL DEFAULT false,
    "ingressClass" TEXT,
    "storageClass" TEXT,
    "portRangeStart" INTEGER,
    "portRangeEnd" INTEGER,
    "isSchedulable" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodePool" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "machineType" TEXT NOT NULL,
    "vcpu" INTEGER NOT NULL,
    "memoryMib" INTEGER NOT NULL,
    "hourlyPriceMicros" INTEGER NOT NULL,
    "minNodes" INTEGER NOT NULL,
    "maxNodes" INTEGER NOT NULL,

    CONSTRAINT "NodePool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubRequest" (
    "id" TEXT NOT NULL,
    "kind" "HubRequestKind" NOT NULL DEFAULT 'NEW_HUB',
    "status" "HubRequestStatus" NOT NULL DEFAULT 'DRAFT',
    "requesterId" TEXT NOT NULL,
    "institutionId" TEXT,
    "form" JSONB NOT NULL,
    "courseCode" TEXT,
    "courseTitle" TEXT,
    "courseStartDate" DATE,
    "preferredRegionId" TEXT,
    "estimateTotalCents" BIGINT,
    "estimatePerStudentMonthCents" INTEGER,
    "estimateAssumptions" JSONB,
    "clusterId" TEXT,
    "creditPoolId" TEXT,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "courseId" TEXT,
    "hubId" TEXT,
    "changeStartsAt" TIMESTAMP(3),
    "changeEndsAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HubRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubRequestComment" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HubRequestComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HubRequestTransition" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "fromStatus" "HubRequestStatus",
    "toStatus" "HubRequestStatus" NOT NULL,
    "actorId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HubRequestTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageSample" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "activeUsers" INTEGER NOT NULL,
    "runningServers" INTEGER NOT NULL,
    "requestedMemoryMib" INTEGER NOT NULL,
    "requestedMilliCpu" INTEGER NOT NULL,
    "storageMib" BIGINT NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "UsageSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyUsageCost" (
    "id" TEXT NOT NULL,
    "hubId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "nodeMilliHours" INTEGER NOT NULL,
    "storageMibDays" BIGINT NOT NULL,
    "costCents" BIGINT NOT NULL,
    "transferId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DailyUsageCost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_occurredAt_idx" ON "AuditEvent"("subjectType", "subjectId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_idx" ON "AuditEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_occurredAt_idx" ON "AuditEvent"("actorId", "occurredAt");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Course_slug_key" ON "Course"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Course_institutionId_code_term_key" ON "Course"("institutionId", "code", "term");

-- CreateIndex
CREATE INDEX "CourseMeeting_courseId_idx" ON "CourseMeeting"("courseId");

-- CreateIndex
CREATE INDEX "ImportantDate_courseId_startsAt_idx" ON "ImportantDate"("courseId", "startsAt");

-- CreateIndex
CREATE INDEX "CapacityWindow_courseId_startsAt_idx" ON "CapacityWindow"("courseId", "startsAt");

-- CreateIndex
CREATE INDEX "Enrollment_courseId_role_idx" ON "Enrollment"("courseId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Enrollment_userId_courseId_key" ON "Enrollment"("userId", "courseId");

-- CreateIndex
CREATE UNIQUE INDEX "JoinCode_code_key" ON "JoinCode"("code");

-- CreateIndex
CREATE INDEX "JoinCode_courseId_idx" ON "JoinCode"("courseId");

-- CreateIndex
CREATE UNIQUE INDEX "CreditPool_slug_key" ON "CreditPool"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "CreditPool_ledgerAccountId_key" ON "CreditPool"("ledgerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Allocation_hubId_key" ON "Allocation"("hubId");

-- CreateIndex
CREATE UNIQUE INDEX "Allocation_ledgerAccountId_key" ON "Allocation"("ledgerAccountId");

-- CreateIndex
CREATE INDEX "Allocation_poolId_idx" ON "Allocation"("poolId");

-- CreateIndex
CREATE INDEX "Allocation_institutionId_idx" ON "Allocation"("institutionId");

-- CreateIndex
CREATE UNIQUE INDEX "AllocationAlert_allocationId_thresholdPercent_key" ON "AllocationAlert"("allocationId", "thresholdPercent");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAccount_code_key" ON "LedgerAccount"("code");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTransfer_idempotencyKey_key" ON "LedgerTransfer"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTransfer_pendingTransferId_key" ON "LedgerTransfer"("pendingTransferId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTransfer_reversesTransferId_key" ON "LedgerTransfer"("reversesTransferId");

-- CreateIndex
CREATE INDEX "LedgerTransfer_debitAccountId_createdAt_idx" ON "LedgerTransfer"("debitAccountId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerTransfer_creditAccountId_createdAt_idx" ON "LedgerTransfer"("creditAccountId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerTransfer_kind_expiresAt_idx" ON "LedgerTransfer"("kind", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Hub_slug_key" ON "Hub"("slug");

-- CreateIndex
CREATE INDEX "Hub_courseId_idx" ON "Hub"("courseId");

-- CreateIndex
CREATE INDEX "Hub_clusterId_status_idx" ON "Hub"("clusterId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "HubCondition_hubId_type_key" ON "HubCondition"("hubId", "type");

-- CreateIndex
CREATE INDEX "ProvisioningRun_hubId_queuedAt_idx" ON "ProvisioningRun"("hubId", "queuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProvisioningStep_runId_name_key" ON "ProvisioningStep"("runId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "HubSpecChange_requestId_key" ON "HubSpecChange"("requestId");

-- CreateIndex
CREATE INDEX "HubSpecChange_endsAt_revertedAt_idx" ON "HubSpecChange"("endsAt", "revertedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HubOidcClient_hubId_key" ON "HubOidcClient"("hubId");

-- CreateIndex
CREATE UNIQUE INDEX "HubOidcClient_clientId_key" ON "HubOidcClient"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_provider_providerAccountId_key" ON "Account"("provider", "providerAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_token_key" ON "VerificationToken"("token");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationToken_identifier_token_key" ON "VerificationToken"("identifier", "token");

-- CreateIndex
CREATE UNIQUE INDEX "Institution_slug_key" ON "Institution"("slug");

-- CreateIndex
CREATE INDEX "InstitutionContact_institutionId_idx" ON "InstitutionContact"("institutionId");

-- CreateIndex
CREATE INDEX "InstitutionMembership_institutionId_idx" ON "InstitutionMembership"("institutionId");

-- CreateIndex
CREATE UNIQUE INDEX "InstitutionMembership_userId_institutionId_key" ON "InstitutionMembership"("userId", "institutionId");

-- CreateIndex
CREATE UNIQUE INDEX "ContentLink_code_key" ON "ContentLink"("code");

-- CreateIndex
CREATE INDEX "ContentLink_courseId_createdAt_idx" ON "ContentLink"("courseId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Region_slug_key" ON "Region"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Cloud_regionId_slug_key" ON "Cloud"("regionId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Cloud_provider_billingAccountId_key" ON "Cloud"("provider", "billingAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_regionId_slug_key" ON "Cluster"("regionId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "NodePool_clusterId_name_key" ON "NodePool"("clusterId", "name");

-- CreateIndex
CREATE INDEX "HubRequest_status_courseStartDate_idx" ON "HubRequest"("status", "courseStartDate");

-- CreateIndex
CREATE INDEX "HubRequest_institutionId_status_idx" ON "HubRequest"("institutionId", "status");

-- CreateIndex
CREATE INDEX "HubRequest_requesterId_idx" ON "HubRequest"("requesterId");

-- CreateIndex
CREATE INDEX "HubRequestComment_requestId_createdAt_idx" ON "HubRequestComment"("requestId", "createdAt");

-- CreateIndex
CREATE INDEX "HubRequestTransition_requestId_createdAt_idx" ON "HubRequestTransition"("requestId", "createdAt");

-- CreateIndex
CREATE INDEX "UsageSample_hubId_sampledAt_idx" ON "UsageSample"("hubId", "sampledAt");

-- CreateIndex
CREATE UNIQUE INDEX "DailyUsageCost_transferId_key" ON "DailyUsageCost"("transferId");

-- CreateIndex
CREATE UNIQUE INDEX "DailyUsageCost_hubId_day_key" ON "DailyUsageCost"("hubId", "day");

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CourseMeeting" ADD CONSTRAINT "CourseMeeting_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportantDate" ADD CONSTRAINT "ImportantDate_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CapacityWindow" ADD CONSTRAINT "CapacityWindow_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CapacityWindow" ADD CONSTRAINT "CapacityWindow_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Enrollment" ADD CONSTRAINT "Enrollment_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JoinCode" ADD CONSTRAINT "JoinCode_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditPool" ADD CONSTRAINT "CreditPool_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditPool" ADD CONSTRAINT "CreditPool_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditPool" ADD CONSTRAINT "CreditPool_ledgerAccountId_fkey" FOREIGN KEY ("ledgerAccountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "CreditPool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Allocation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Allocation" ADD CONSTRAINT "Allocation_ledgerAccountId_fkey" FOREIGN KEY ("ledgerAccountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationAlert" ADD CONSTRAINT "AllocationAlert_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransfer" ADD CONSTRAINT "LedgerTransfer_debitAccountId_fkey" FOREIGN KEY ("debitAccountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransfer" ADD CONSTRAINT "LedgerTransfer_creditAccountId_fkey" FOREIGN KEY ("creditAccountId") REFERENCES "LedgerAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransfer" ADD CONSTRAINT "LedgerTransfer_pendingTransferId_fkey" FOREIGN KEY ("pendingTransferId") REFERENCES "LedgerTransfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerTransfer" ADD CONSTRAINT "LedgerTransfer_reversesTransferId_fkey" FOREIGN KEY ("reversesTransferId") REFERENCES "LedgerTransfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hub" ADD CONSTRAINT "Hub_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hub" ADD CONSTRAINT "Hub_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubCondition" ADD CONSTRAINT "HubCondition_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisioningRun" ADD CONSTRAINT "ProvisioningRun_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisioningStep" ADD CONSTRAINT "ProvisioningStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ProvisioningRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubSpecChange" ADD CONSTRAINT "HubSpecChange_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubSpecChange" ADD CONSTRAINT "HubSpecChange_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "HubRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubOidcClient" ADD CONSTRAINT "HubOidcClient_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstitutionContact" ADD CONSTRAINT "InstitutionContact_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstitutionMembership" ADD CONSTRAINT "InstitutionMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstitutionMembership" ADD CONSTRAINT "InstitutionMembership_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentLink" ADD CONSTRAINT "ContentLink_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentLink" ADD CONSTRAINT "ContentLink_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentLinkDailyClicks" ADD CONSTRAINT "ContentLinkDailyClicks_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "ContentLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cloud" ADD CONSTRAINT "Cloud_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodePool" ADD CONSTRAINT "NodePool_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_preferredRegionId_fkey" FOREIGN KEY ("preferredRegionId") REFERENCES "Region"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_creditPoolId_fkey" FOREIGN KEY ("creditPoolId") REFERENCES "CreditPool"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequest" ADD CONSTRAINT "HubRequest_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequestComment" ADD CONSTRAINT "HubRequestComment_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "HubRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequestComment" ADD CONSTRAINT "HubRequestComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequestTransition" ADD CONSTRAINT "HubRequestTransition_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "HubRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HubRequestTransition" ADD CONSTRAINT "HubRequestTransition_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageSample" ADD CONSTRAINT "UsageSample_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyUsageCost" ADD CONSTRAINT "DailyUsageCost_hubId_fkey" FOREIGN KEY ("hubId") REFERENCES "Hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyUsageCost" ADD CONSTRAINT "DailyUsageCost_transferId_fkey" FOREIGN KEY ("transferId") REFERENCES "LedgerTransfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
