import { MigrationInterface, QueryRunner } from "typeorm";

export class Connections1795354637586 implements MigrationInterface {
    name = 'Connections1795354637586'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_connection" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid NOT NULL, "provider" character varying(32) NOT NULL DEFAULT 'shopify', "shop_domain" character varying(255) NOT NULL, "status" character varying(16) NOT NULL, "access_token_sealed" text, "access_token_expires_at" TIMESTAMP WITH TIME ZONE, "refresh_token_sealed" text, "refresh_token_expires_at" TIMESTAMP WITH TIME ZONE, "scopes" text NOT NULL DEFAULT '', "last_synced_at" TIMESTAMP WITH TIME ZONE, "connected_at" TIMESTAMP WITH TIME ZONE, "disconnected_at" TIMESTAMP WITH TIME ZONE, "webhooks_registered_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_connection_business" UNIQUE ("business_id"), CONSTRAINT "PK_d1c5a65228847d9244ce9c7757e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_connection_active_shop" ON "ecommerce_connection"  ("shop_domain") WHERE status = 'active'`);
        await queryRunner.query(`CREATE TABLE "ecommerce_oauth_state" ("state" character varying(64) NOT NULL, "business_id" uuid NOT NULL, "shop_domain" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2476a77a1ae0f426a1cd03214d2" PRIMARY KEY ("state"))`);
        await queryRunner.query(`CREATE INDEX "idx_oauth_state_expires" ON "ecommerce_oauth_state"  ("expires_at") `);
        await queryRunner.query(`CREATE TABLE "ecommerce_sync_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid, "connection_id" uuid, "type" character varying(32) NOT NULL, "direction" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "processed" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "message" text NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_07c26ab1dd964bd9fd7c5cfa67a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_sync_log_started" ON "ecommerce_sync_log"  ("started_at") `);
        await queryRunner.query(`CREATE INDEX "idx_sync_log_business_started" ON "ecommerce_sync_log"  ("business_id", "started_at") `);
        await queryRunner.query(`CREATE TABLE "ecommerce_webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "shop_domain" character varying(255) NOT NULL, "webhook_id" character varying(255) NOT NULL, "topic" character varying(64) NOT NULL, "business_id" uuid, "connection_id" uuid, "event_id" character varying(255), "triggered_at" character varying(64), "payload" text, "status" character varying(16) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_delivery_shop_webhook" UNIQUE ("shop_domain", "webhook_id"), CONSTRAINT "PK_550f486811210e460a61fecde4b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_delivery_business_received" ON "ecommerce_webhook_delivery"  ("business_id", "received_at") `);
        await queryRunner.query(`CREATE INDEX "idx_delivery_status_received" ON "ecommerce_webhook_delivery"  ("status", "received_at") `);
        await queryRunner.query(`ALTER TABLE "ecommerce_connection" ADD CONSTRAINT "FK_e3dc1ede51689e11d777e4bb78b" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_connection" DROP CONSTRAINT "FK_e3dc1ede51689e11d777e4bb78b"`);
        await queryRunner.query(`DROP INDEX "public"."idx_delivery_status_received"`);
        await queryRunner.query(`DROP INDEX "public"."idx_delivery_business_received"`);
        await queryRunner.query(`DROP TABLE "ecommerce_webhook_delivery"`);
        await queryRunner.query(`DROP INDEX "public"."idx_sync_log_business_started"`);
        await queryRunner.query(`DROP INDEX "public"."idx_sync_log_started"`);
        await queryRunner.query(`DROP TABLE "ecommerce_sync_log"`);
        await queryRunner.query(`DROP INDEX "public"."idx_oauth_state_expires"`);
        await queryRunner.query(`DROP TABLE "ecommerce_oauth_state"`);
        await queryRunner.query(`DROP INDEX "public"."uq_connection_active_shop"`);
        await queryRunner.query(`DROP TABLE "ecommerce_connection"`);
    }

}
