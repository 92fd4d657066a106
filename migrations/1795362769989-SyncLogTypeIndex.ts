import { MigrationInterface, QueryRunner } from "typeorm";

export class SyncLogTypeIndex1795362769989 implements MigrationInterface {
    name = 'SyncLogTypeIndex1795362769989'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "idx_sync_log_business_type_started" ON "ecommerce_sync_log"  ("business_id", "type", "started_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_sync_log_business_type_started"`);
    }

}
