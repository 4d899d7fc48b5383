-- DropEnum
DROP TYPE "SourceStatus";
