import { MigrationInterface, QueryRunner } from "typeorm";

export class StatusRequests1796181422200 implements MigrationInterface {
    name = 'StatusRequests1796181422200'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_status_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid NOT NULL, "order_id" uuid NOT NULL, "connection_id" uuid NOT NULL, "provider" character varying(32) NOT NULL, "action" character varying(16) NOT NULL, "body" jsonb NOT NULL, "idempotency_key" character varying(255), "fingerprint" character varying(64) NOT NULL, "requested_by" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claim_id" uuid, "claimed_until" TIMESTAMP WITH TIME ZONE, "progress" jsonb NOT NULL DEFAULT '{}', "result" jsonb, "last_error" text, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_status_request_idempotency" UNIQUE ("order_id", "idempotency_key"), CONSTRAINT "PK_ac8dabfb9a0c8fc07ed2c5b0e1f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_status_request_business" ON "ecommerce_status_request"  ("business_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_status_request_order" ON "ecommerce_status_request"  ("order_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_status_request_due" ON "ecommerce_status_request"  ("status", "next_attempt_at") `);
        await queryRunner.query(`CREATE TABLE "ecommerce_status_attempt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "request_id" uuid NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "outcome" character varying(16) NOT NULL, "answer" jsonb NOT NULL, "error" text, CONSTRAINT "PK_11d661f4eaf2cf0f772d56e6fa9" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_status_attempt_started" ON "ecommerce_status_attempt"  ("started_at") `);
        await queryRunner.query(`CREATE INDEX "idx_status_attempt_request" ON "ecommerce_status_attempt"  ("request_id", "started_at") `);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" ADD "financial_status" character varying(32)`);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" ADD "fulfillment_status" character varying(16)`);
        await queryRunner.query(`ALTER TABLE "ecommerce_status_request" ADD CONSTRAINT "FK_6a7d8015ac9eb70e2a45c16a73b" FOREIGN KEY ("order_id") REFERENCES "ecommerce_ingested_order"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "ecommerce_status_attempt" ADD CONSTRAINT "FK_791994bf3c02545aa485b219f37" FOREIGN KEY ("request_id") REFERENCES "ecommerce_status_request"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_status_attempt" DROP CONSTRAINT "FK_791994bf3c02545aa485b219f37"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_status_request" DROP CONSTRAINT "FK_6a7d8015ac9eb70e2a45c16a73b"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" DROP COLUMN "fulfillment_status"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" DROP COLUMN "financial_status"`);
        await queryRunner.query(`DROP INDEX "public"."idx_status_attempt_request"`);
        await queryRunner.query(`DROP INDEX "public"."idx_status_attempt_started"`);
        await queryRunner.query(`DROP TABLE "ecommerce_status_attempt"`);
        await queryRunner.query(`DROP INDEX "public"."idx_status_request_due"`);
        await queryRunner.query(`DROP INDEX "public"."idx_status_request_order"`);
        await queryRunner.query(`DROP INDEX "public"."idx_status_request_business"`);
        await queryRunner.query(`DROP TABLE "ecommerce_status_request"`);
    }

}
