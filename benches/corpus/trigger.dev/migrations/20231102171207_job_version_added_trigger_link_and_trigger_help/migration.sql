-- AlterTable
ALTER TABLE "JobVersion" ADD COLUMN     "triggerHelp" JSONB,
ADD COLUMN     "triggerLink" TEXT;
