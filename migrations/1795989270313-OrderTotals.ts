import { MigrationInterface, QueryRunner } from "typeorm";

export class OrderTotals1795989270313 implements MigrationInterface {
    name = 'OrderTotals1795989270313'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" ADD "totals" jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" DROP COLUMN "totals"`);
    }

}
