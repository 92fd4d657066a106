import { MigrationInterface, QueryRunner } from "typeorm";

export class Forwarding1795987606617 implements MigrationInterface {
    name = 'Forwarding1795987606617'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_forwarding_destination" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "url" character varying(2000) NOT NULL, "auth_header_name" character varying(100), "auth_header_value_sealed" text, "events" jsonb NOT NULL DEFAULT '["order.created"]', "erp_order_id_path" character varying(200), "message_path" character varying(200), "notify_emails" jsonb NOT NULL DEFAULT '[]', "timeout_seconds" integer NOT NULL DEFAULT '15', "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" text, "signing_secret_sealed" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f028812dd8acf409e773555d1cb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_forwarding_destination_business" ON "ecommerce_forwarding_destination"  ("business_id") `);
        await queryRunner.query(`CREATE TABLE "ecommerce_forwarding_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "destination_id" uuid NOT NULL, "business_id" uuid NOT NULL, "order_id" uuid NOT NULL, "event" character varying(32) NOT NULL, "body" text NOT NULL, "status" character varying(16) NOT NULL, "sends" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "manual" boolean NOT NULL DEFAULT false, "claim_id" uuid, "claimed_until" TIMESTAMP WITH TIME ZONE, "erp_order_id" character varying(500), "erp_message" text, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "alerted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_forwarding_message_order_event" UNIQUE ("destination_id", "order_id", "event"), CONSTRAINT "PK_e85e40076b0f771ea3449ccce18" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_forwarding_message_business" ON "ecommerce_forwarding_message"  ("business_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_forwarding_message_due" ON "ecommerce_forwarding_message"  ("status", "next_attempt_at") `);
        await queryRunner.query(`CREATE TABLE "ecommerce_forwarding_attempt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" uuid NOT NULL, "trigger" character varying(16) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "status_code" integer, "error" text, "response_excerpt" text, "request_headers" jsonb NOT NULL, "outcome" character varying(16) NOT NULL, CONSTRAINT "PK_85ffcfb277763c3db31f5c29db7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_forwarding_attempt_started" ON "ecommerce_forwarding_attempt"  ("started_at") `);
        await queryRunner.query(`CREATE INDEX "idx_forwarding_attempt_message" ON "ecommerce_forwarding_attempt"  ("message_id", "started_at") `);
        await queryRunner.query(`CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid, "kind" character varying(64) NOT NULL, "recipients" jsonb NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "delivery" character varying(16) NOT NULL, "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_notification_business_created" ON "notification"  ("business_id", "created_at") `);
        await queryRunner.query(`ALTER TABLE "ecommerce_forwarding_destination" ADD CONSTRAINT "FK_0d0f41296001fd2c3b855ca2712" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "ecommerce_forwarding_message" ADD CONSTRAINT "FK_1e444ead407f4ceaaf1244a0bbb" FOREIGN KEY ("destination_id") REFERENCES "ecommerce_forwarding_destination"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "ecommerce_forwarding_attempt" ADD CONSTRAINT "FK_224a65f59bb2392d8456d7f0c71" FOREIGN KEY ("message_id") REFERENCES "ecommerce_forwarding_message"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_forwarding_attempt" DROP CONSTRAINT "FK_224a65f59bb2392d8456d7f0c71"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_forwarding_message" DROP CONSTRAINT "FK_1e444ead407f4ceaaf1244a0bbb"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_forwarding_destination" DROP CONSTRAINT "FK_0d0f41296001fd2c3b855ca2712"`);
        await queryRunner.query(`DROP INDEX "public"."idx_notification_business_created"`);
        await queryRunner.query(`DROP TABLE "notification"`);
        await queryRunner.query(`DROP INDEX "public"."idx_forwarding_attempt_message"`);
        await queryRunner.query(`DROP INDEX "public"."idx_forwarding_attempt_started"`);
        await queryRunner.query(`DROP TABLE "ecommerce_forwarding_attempt"`);
        await queryRunner.query(`DROP INDEX "public"."idx_forwarding_message_due"`);
        await queryRunner.query(`DROP INDEX "public"."idx_forwarding_message_business"`);
        await queryRunner.query(`DROP TABLE "ecommerce_forwarding_message"`);
        await queryRunner.query(`DROP INDEX "public"."idx_forwarding_destination_business"`);
        await queryRunner.query(`DROP TABLE "ecommerce_forwarding_destination"`);
    }

}
