-- AlterEnum
ALTER TYPE "EndpointIndexSource" ADD VALUE 'API';
