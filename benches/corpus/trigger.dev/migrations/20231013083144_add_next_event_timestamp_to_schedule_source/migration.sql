-- AlterTable
ALTER TABLE "ScheduleSource" ADD COLUMN     "nextEventTimestamp" TIMESTAMP(3);
