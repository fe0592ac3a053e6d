-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "isSimulated" BOOLEAN NOT NULL DEFAULT false;
