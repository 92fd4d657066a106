import { MigrationInterface, QueryRunner } from "typeorm";

export class InventoryOutbox1795359096004 implements MigrationInterface {
    name = 'InventoryOutbox1795359096004'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_inventory_outbox" ("id" BIGSERIAL NOT NULL, "business_id" uuid NOT NULL, "product_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "pushed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_292759f2f2da122a1efc6364de7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_inventory_outbox_pending" ON "ecommerce_inventory_outbox"  ("business_id", "id") WHERE pushed_at IS NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_inventory_outbox_pending"`);
        await queryRunner.query(`DROP TABLE "ecommerce_inventory_outbox"`);
    }

}
