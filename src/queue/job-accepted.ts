import { ApiProperty } from '@nestjs/swagger';

/** The answer of every 202 that started a background job: where to follow it. */
export class JobAcceptedDto {
  @ApiProperty({ example: 'poll-now-5b0e…' })
  jobId!: string;

  @ApiProperty({ description: 'GET it for the state, progress and sync log of the job', example: '/ecommerce/jobs/poll-now-5b0e…' })
  statusUrl!: string;
}

export function jobAccepted(jobId: string | undefined): JobAcceptedDto {
  if (!jobId) throw new Error('BullMQ returned a job without an id');
  return { jobId, statusUrl: `/ecommerce/jobs/${encodeURIComponent(jobId)}` };
}
