-- AlterTable
ALTER TABLE "Hub" ADD COLUMN     "appliedPlaceholderAt" TIMESTAMP(3),
ADD COLUMN     "appliedPlaceholderPods" INTEGER;
