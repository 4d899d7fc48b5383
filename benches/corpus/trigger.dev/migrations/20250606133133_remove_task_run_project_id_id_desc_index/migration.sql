-- DropIndex
DROP INDEX CONCURRENTLY IF EXISTS "TaskRun_projectId_id_idx";
