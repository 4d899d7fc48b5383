-- AlterTable
ALTER TABLE "BackgroundWorkerTask" ADD COLUMN     "description" TEXT;
