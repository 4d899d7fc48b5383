-- AlterTable
ALTER TABLE "TaskRun" ADD COLUMN     "traceContext" JSONB;
