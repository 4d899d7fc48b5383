-- AlterTable
ALTER TABLE "HttpSource" ADD COLUMN     "interactive" BOOLEAN NOT NULL DEFAULT false;
