import { MigrationInterface, QueryRunner } from "typeorm";

export class CollectionMappings1795359365040 implements MigrationInterface {
    name = 'CollectionMappings1795359365040'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "ecommerce_collection_mapping" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "business_id" uuid NOT NULL, "connection_id" uuid NOT NULL, "category_id" uuid NOT NULL, "shopify_collection_id" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_collection_mapping_connection_category" UNIQUE ("connection_id", "category_id"), CONSTRAINT "PK_3afc1ab0af3963aa9132df1d06c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "ecommerce_collection_mapping" ADD CONSTRAINT "FK_4e6a7e66f112cc63c8ee18e9b85" FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_collection_mapping" DROP CONSTRAINT "FK_4e6a7e66f112cc63c8ee18e9b85"`);
        await queryRunner.query(`DROP TABLE "ecommerce_collection_mapping"`);
    }

}
