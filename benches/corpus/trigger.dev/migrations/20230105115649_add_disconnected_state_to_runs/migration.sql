-- AlterEnum
ALTER TYPE "WorkflowRunStatus" ADD VALUE 'DISCONNECTED';
