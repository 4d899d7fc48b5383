-- AlterTable
ALTER TABLE "EndpointIndex" ADD COLUMN     "sourceData" JSONB;
