CREATE TABLE "installation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"singleton" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "installation_singleton_unique" UNIQUE("singleton"),
	CONSTRAINT "installation_singleton" CHECK ("installation"."singleton")
);
