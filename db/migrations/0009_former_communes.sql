CREATE TABLE "former_communes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"commune_code" text NOT NULL,
	"province_code" text NOT NULL,
	"former_name" text NOT NULL,
	"former_district" text NOT NULL,
	"former_province" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "former_communes" ADD CONSTRAINT "former_communes_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "former_communes" ADD CONSTRAINT "former_communes_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "former_communes_province_idx" ON "former_communes" USING btree ("province_code");