-- AlterTable
ALTER TABLE "EventRecord" ADD COLUMN     "sourceContext" JSONB;
