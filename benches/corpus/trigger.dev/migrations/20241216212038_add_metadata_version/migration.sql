-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "metadataVersion" INTEGER NOT NULL DEFAULT 1;
