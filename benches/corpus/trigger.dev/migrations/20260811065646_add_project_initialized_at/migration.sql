-- AlterTable
ALTER TABLE "Project" ADD COLUMN "initializedAt" TIMESTAMP(3);
