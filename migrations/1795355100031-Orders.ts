import { MigrationInterface, QueryRunner } from "typeorm";

export class Orders1795355100031 implements MigrationInterface {
    name = 'Orders1795355100031'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_product_mapping" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid NOT NULL, "connection_id" uuid NOT NULL, "product_id" uuid NOT NULL, "shopify_product_id" character varying(64) NOT NULL, "shopify_variant_id" character varying(64) NOT NULL, "shopify_inventory_item_id" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_mapping_connection_variant" UNIQUE ("connection_id", "shopify_variant_id"), CONSTRAINT "uq_mapping_connection_product" UNIQUE ("connection_id", "product_id"), CONSTRAINT "PK_6cb910ad59044e3c88858c84454" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_mapping_business" ON "ecommerce_product_mapping"  ("business_id") `);
        await queryRunner.query(`CREATE TABLE "ecommerce_ingested_order" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connection_id" uuid NOT NULL, "business_id" uuid NOT NULL, "external_order_id" character varying(64) NOT NULL, "order_number" character varying(64) NOT NULL, "source" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "lines" jsonb NOT NULL, "external_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cancelled_at" TIMESTAMP WITH TIME ZONE, "ingested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_ingested_order_connection_external" UNIQUE ("connection_id", "external_order_id"), CONSTRAINT "PK_2800bc13412a4424b62fd92f347" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_ingested_order_business_ingested" ON "ecommerce_ingested_order"  ("business_id", "ingested_at") `);
        await queryRunner.query(`ALTER TABLE "ecommerce_product_mapping" ADD CONSTRAINT "FK_c1a27e92b470e610cb11aee51bf" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_product_mapping" DROP CONSTRAINT "FK_c1a27e92b470e610cb11aee51bf"`);
        await queryRunner.query(`DROP INDEX "public"."idx_ingested_order_business_ingested"`);
        await queryRunner.query(`DROP TABLE "ecommerce_ingested_order"`);
        await queryRunner.query(`DROP INDEX "public"."idx_mapping_business"`);
        await queryRunner.query(`DROP TABLE "ecommerce_product_mapping"`);
    }

}
