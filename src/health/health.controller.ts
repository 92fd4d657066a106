import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/async/with-timeout.js';
import { Public } from '../common/auth/auth.decorators.js';
import { QueueInspector } from '../queue/queue-inspector.js';
import { RedisClient } from '../queue/redis.provider.js';

interface CheckResult {
  status: 'up' | 'down';
  message?: string;
}

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>): Promise<CheckResult> {
  try {
    await withTimeout(probe(), CHECK_TIMEOUT_MS);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', message: error instanceof Error ? error.message : String(error) };
  }
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    private readonly queueInspector: QueueInspector,
  ) {}

  /** Every queue answers and has at least one worker connected, in any process. */
  private async queues(): Promise<void> {
    const idle = (await this.queueInspector.states()).filter((queue) => queue.workers === 0).map((queue) => queue.name);
    if (idle.length > 0) throw new Error(`no worker connected to ${idle.join(', ')}`);
  }

  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const [database, redis, queues] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(() => this.redis.redis.ping()),
      check(() => this.queues()),
    ]);
    const checks = { database, redis, queues };
    const failing = Object.entries(checks).filter(([, result]) => result.status === 'down').map(([name]) => name);
    if (failing.length > 0) {
      response.status(503);
      return { status: 'error', failing, checks };
    }
    return { status: 'ok', checks };
  }
}
