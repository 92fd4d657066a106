import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Orders ingested before the lifecycle rules: a line whose decrement applied holds its quantity, unless the order
 * was cancelled (its restock applied too). Their old ledger references stay; new movements are computed from what
 * each line holds, so none of the old ones can be applied again. Exported for its test.
 */
export const CONVERT_LINES_OF_OLD_ORDERS = `
            UPDATE "ecommerce_ingested_order" o SET "lines" = COALESCE((
                SELECT jsonb_agg(
                    (l - 'decremented') || jsonb_build_object(
                        'currentQuantity', CASE WHEN o.status = 'cancelled' THEN 0 ELSE (l->>'quantity')::int END,
                        'held', CASE WHEN (l->>'decremented')::boolean AND o.status <> 'cancelled' THEN (l->>'quantity')::int ELSE 0 END,
                        'moves', 0)
                    ORDER BY n)
                FROM jsonb_array_elements(o."lines") WITH ORDINALITY AS x(l, n)), '[]'::jsonb)
            WHERE jsonb_typeof(o."lines") = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements(o."lines") AS y(l) WHERE l ? 'decremented')`;

export class OrderLifecycle1795978817793 implements MigrationInterface {
    name = 'OrderLifecycle1795978817793'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" ADD "refunds" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(CONVERT_LINES_OF_OLD_ORDERS);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            UPDATE "ecommerce_ingested_order" o SET "lines" = COALESCE((
                SELECT jsonb_agg((l - 'currentQuantity' - 'held' - 'moves') || jsonb_build_object('decremented', (l->>'held')::int > 0 OR o.status = 'cancelled') ORDER BY n)
                FROM jsonb_array_elements(o."lines") WITH ORDINALITY AS x(l, n)), '[]'::jsonb)`);
        await queryRunner.query(`ALTER TABLE "ecommerce_ingested_order" DROP COLUMN "refunds"`);
    }

}
