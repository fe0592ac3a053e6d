-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "localBindAddress" TEXT,
ADD COLUMN     "localPublicUrl" TEXT;
