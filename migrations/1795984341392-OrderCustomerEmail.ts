import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderCustomerEmail1795984341392 implements MigrationInterface {
    name = 'OrderCustomerEmail1795984341392'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" ADD "customer_email" character varying(320)`);
        await queryRunner.query(`CREATE INDEX "idx_ingested_order_business_email" ON "ecommerce_ingested_order"  ("business_id", "customer_email") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_ingested_order_business_email"`);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" DROP COLUMN "customer_email"`);
    }

}
