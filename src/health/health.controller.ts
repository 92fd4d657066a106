import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HEALTH_SCHEMA } from './health.schemas.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/async/with-timeout.js';
import { Public } from '../common/auth/auth.decorators.js';
import { ShutdownSignal } from '../common/lifecycle/shutdown-signal.js';
import { RedisClient } from '../queue/redis.provider.js';
import { WorkersProbe } from './workers-probe.js';

interface CheckResult {
  status: 'up' | 'down';
  message?: string;
}

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => unknown): Promise<CheckResult> {
  try {
    await withTimeout(Promise.resolve().then(probe), CHECK_TIMEOUT_MS);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', message: error instanceof Error ? error.message : String(error) };
  }
}

function answer(response: Response, checks: Record<string, CheckResult>) {
  const failing = Object.entries(checks).filter(([, result]) => result.status === 'down').map(([name]) => name);
  if (failing.length > 0) {
    response.status(503);
    return { status: 'error', failing, checks };
  }
  return { status: 'ok', checks };
}

/**
 * Two probes for deployments. `/health` says whether this process is well: it reaches Postgres and Redis, and the
 * queue workers it runs (ROLE=worker or all) are running. Whether some worker somewhere serves each queue is a
 * fact of the deployment, not of an api process, and `GET /ecommerce/status` flags it. `/health/ready` says
 * whether a load balancer may send traffic here: not shutting down, and Postgres reachable (an acknowledged
 * webhook is stored there; without Redis the sweeper still enqueues it later).
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    private readonly workers: WorkersProbe,
    private readonly shutdown: ShutdownSignal,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: this process reaches Postgres and Redis, and the queue workers it runs are running' })
  @ApiOkResponse({ schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'A check is down: `failing` names it', schema: HEALTH_SCHEMA })
  async health(@Res({ passthrough: true }) response: Response) {
    const [database, redis, workers] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.redis.redis.ping()),
      this.workers.hasWorkers ? check(() => this.workers.assertRunning()) : null,
    ]);
    return answer(response, { database, redis, ...(workers ? { workers } : {}) });
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: this process may take traffic (not shutting down, Postgres reachable)' })
  @ApiOkResponse({ schema: HEALTH_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Shutting down, or Postgres is unreachable: `failing` names it', schema: HEALTH_SCHEMA })
  async ready(@Res({ passthrough: true }) response: Response) {
    const [serving, database] = await Promise.all([
      check(() => {
        if (this.shutdown.aborted) throw new Error('shutting down');
      }),
      check(() => this.dataSource.query('SELECT 1')),
    ]);
    return answer(response, { serving, database });
  }
}
