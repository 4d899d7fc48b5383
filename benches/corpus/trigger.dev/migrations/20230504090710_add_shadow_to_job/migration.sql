-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "shadow" BOOLEAN NOT NULL DEFAULT false;
