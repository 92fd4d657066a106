import { MigrationInterface, QueryRunner } from "typeorm";

export class ConnectionLocation1795976562832 implements MigrationInterface {
    name = 'ConnectionLocation1795976562832'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_connection" ADD "location_id" character varying(128)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_connection" DROP COLUMN "location_id"`);
    }

}
