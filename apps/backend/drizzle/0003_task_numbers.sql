-- Per-user task numbers: existing tasks are numbered 1, 2... per user in the order they were
-- created, and each user's counter starts after their highest number.
ALTER TABLE "tasks" ADD COLUMN "number" integer;--> statement-breakpoint
UPDATE "tasks" SET "number" = "numbered"."n" FROM (SELECT "id", row_number() OVER (PARTITION BY "user_id" ORDER BY "created_at", "id") AS "n" FROM "tasks") AS "numbered" WHERE "tasks"."id" = "numbered"."id";--> statement-breakpoint
ALTER TABLE "tasks" ALTER COLUMN "number" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_task_number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "users" SET "last_task_number" = "numbered"."last" FROM (SELECT "user_id", max("number") AS "last" FROM "tasks" GROUP BY "user_id") AS "numbered" WHERE "users"."id" = "numbered"."user_id";--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_user_number_key" ON "tasks" USING btree ("user_id","number");
