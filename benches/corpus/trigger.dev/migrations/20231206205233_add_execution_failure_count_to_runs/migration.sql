-- AlterTable
ALTER TABLE "JobRun" ADD COLUMN     "executionFailureCount" INTEGER NOT NULL DEFAULT 0;
