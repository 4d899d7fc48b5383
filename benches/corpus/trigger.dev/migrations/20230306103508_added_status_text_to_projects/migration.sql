-- AlterTable
ALTER TABLE "RepositoryProject" ADD COLUMN     "statusText" TEXT;
