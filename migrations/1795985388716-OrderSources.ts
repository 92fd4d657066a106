import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderSources1795985388716 implements MigrationInterface {
    name = 'OrderSources1795985388716'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_source" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid NOT NULL, "provider" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "status" character varying(16) NOT NULL, "config" jsonb NOT NULL DEFAULT '{}', "webhook_secret_sealed" text NOT NULL, "credentials_sealed" text, "last_synced_at" TIMESTAMP WITH TIME ZONE, "last_delivery_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "disconnected_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_90cd2f61f0758138de3f2e36ddb" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_source_business" ON "ecommerce_source"  ("business_id") `);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" ADD "provider" character varying(32) NOT NULL DEFAULT 'shopify'`);
        await queryRunner.query(`ALTER TABLE "ecommerce_source" ADD CONSTRAINT "FK_eb7bf8baa7017ab3dfd3253cf2c" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_source" DROP CONSTRAINT "FK_eb7bf8baa7017ab3dfd3253cf2c"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" DROP COLUMN "provider"`);
        await queryRunner.query(`DROP INDEX "public"."idx_source_business"`);
        await queryRunner.query(`DROP TABLE "ecommerce_source"`);
    }

}
