-- AlterTable
ALTER TABLE "BackgroundWorkerTask" ADD COLUMN     "machineConfig" JSONB;
