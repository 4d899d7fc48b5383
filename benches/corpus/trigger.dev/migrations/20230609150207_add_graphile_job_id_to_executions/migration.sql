-- AlterTable
ALTER TABLE "JobRunExecution" ADD COLUMN     "graphileJobId" INTEGER;
