-- AlterTable
ALTER TABLE "BackgroundWorkerTask" ADD COLUMN     "maxDurationInSeconds" INTEGER;
