CREATE TABLE "conversation_sessions" (
	"channel" text NOT NULL,
	"user_id" text NOT NULL,
	"state" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_sessions_channel_user_id_pk" PRIMARY KEY("channel","user_id")
);
--> statement-breakpoint
CREATE INDEX "conversation_sessions_updated_idx" ON "conversation_sessions" USING btree ("updated_at");