#!/usr/bin/env bash
# Usage: npm run migration:generate -- Name
# Applies the existing migrations to a scratch database, generates the difference with TypeORM's CLI as
# migrations/<timestamp>-Name.ts, and adds it to migrations/index.ts.
set -euo pipefail
name=${1:?usage: npm run migration:generate -- Name}
# Also accept the path form (migrations/Name): the file always goes to migrations/.
name=${name#migrations/}
name=${name%.ts}
if [[ ! $name =~ ^[A-Za-z][A-Za-z0-9]*$ ]]; then echo "The migration name must be a word such as AddOrderNotes, not '$1'" >&2; exit 2; fi
command -v psql >/dev/null || { echo "migration:generate needs psql (Debian: apt-get install postgresql-client)" >&2; exit 2; }
base=${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/pos_ecommerce}
scratch="migration_gen_$$"
admin="${base%/*}/postgres"
url="${base%/*}/${scratch}"
npm run build --silent
psql "$admin" -qc "CREATE DATABASE ${scratch}"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS ${scratch}"' EXIT
node --input-type=module -e "import('./dist/src/database/run-migrations.js').then((m) => m.runMigrations('${url}'))"
DATABASE_URL="$url" npx typeorm migration:generate -d dist/src/database/data-source.js "migrations/${name}"
file=$(ls -t migrations/*-"${name}".ts | head -n 1)
class=$(grep -o 'class [A-Za-z0-9_]*' "$file" | cut -d' ' -f2)
module="./$(basename "$file" .ts).js"
node --input-type=module -e "
import { readFileSync, writeFileSync } from 'node:fs';
const lines = readFileSync('migrations/index.ts', 'utf8').split('\\n');
const lastImport = lines.findLastIndex((line) => line.startsWith('import '));
lines.splice(lastImport + 1, 0, \"import { ${class} } from '${module}';\");
writeFileSync('migrations/index.ts', lines.join('\\n').replace(/\\];\\s*$/, ', ${class}];\\n'));
"
echo "Generated ${file} and listed it in migrations/index.ts"
