/*
  Warnings:

  - You are about to drop the column `retry` on the `FetchRequest` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "FetchRequest" DROP COLUMN "retry";
