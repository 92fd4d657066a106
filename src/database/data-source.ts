import 'reflect-metadata';
import 'dotenv/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/** The DataSource of the TypeORM CLI (`npm run migration:generate`); the app builds its own from config. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/pos_ecommerce'),
);
