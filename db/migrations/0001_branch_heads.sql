CREATE TABLE "branch_heads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"branch_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "branch_invites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"branch_id" uuid NOT NULL,
	"code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by_person_id" uuid
);
--> statement-breakpoint
CREATE TABLE "decision_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"registration_id" uuid NOT NULL,
	"head_person_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"card_status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"registration_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"commune_code" text,
	"branch_id" uuid,
	"pending_since" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "head_digests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"day" text NOT NULL,
	"status" text NOT NULL,
	"pending_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registration_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"action" text NOT NULL,
	"reason" text,
	"reopened_fields" jsonb,
	"decided_by_person_id" uuid,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "submission_round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "branch_heads" ADD CONSTRAINT "branch_heads_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "branch_heads" ADD CONSTRAINT "branch_heads_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "branch_invites" ADD CONSTRAINT "branch_invites_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "branch_invites" ADD CONSTRAINT "branch_invites_used_by_person_id_people_id_fk" FOREIGN KEY ("used_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_tokens" ADD CONSTRAINT "decision_tokens_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_tokens" ADD CONSTRAINT "decision_tokens_head_person_id_people_id_fk" FOREIGN KEY ("head_person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "head_digests" ADD CONSTRAINT "head_digests_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_decisions" ADD CONSTRAINT "registration_decisions_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_decisions" ADD CONSTRAINT "registration_decisions_decided_by_person_id_people_id_fk" FOREIGN KEY ("decided_by_person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "branch_heads_branch_person_idx" ON "branch_heads" USING btree ("branch_id","person_id");--> statement-breakpoint
CREATE INDEX "branch_heads_person_idx" ON "branch_heads" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "branch_invites_code_idx" ON "branch_invites" USING btree ("code");--> statement-breakpoint
CREATE INDEX "branch_invites_branch_idx" ON "branch_invites" USING btree ("branch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "decision_tokens_card_idx" ON "decision_tokens" USING btree ("registration_id","head_person_id","round");--> statement-breakpoint
CREATE INDEX "decision_tokens_head_idx" ON "decision_tokens" USING btree ("head_person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_registration_round_idx" ON "escalations" USING btree ("registration_id","round");--> statement-breakpoint
CREATE INDEX "escalations_commune_idx" ON "escalations" USING btree ("commune_code");--> statement-breakpoint
CREATE UNIQUE INDEX "head_digests_person_day_idx" ON "head_digests" USING btree ("person_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "registration_decisions_round_idx" ON "registration_decisions" USING btree ("registration_id","round");