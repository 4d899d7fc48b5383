-- AlterTable
ALTER TABLE "TaskEvent" ADD COLUMN     "workerId" TEXT,
ADD COLUMN     "workerVersion" TEXT;
