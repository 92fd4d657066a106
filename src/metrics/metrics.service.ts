import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isMainThread } from 'node:worker_threads';
import { isHandledTopic } from '../ecommerce/shopify/webhook-topics.js';

/** What happened to a webhook on the request path. */
export type ReceiveOutcome = 'stored' | 'duplicate' | 'unprocessable' | 'rejected' | 'unavailable';
/** What happened to a stored delivery when a worker processed it. */
export type ProcessOutcome = 'processed' | 'skipped' | 'failed' | 'retry';
/** How one HTTP call to Shopify ended. */
export type ShopifyCallOutcome = 'ok' | 'throttled' | 'http_429' | 'http_5xx' | 'network' | 'auth' | 'error';

/**
 * The service's Prometheus metrics. One registry per application instance (not prom-client's global one), so
 * that several apps in one process, as in the tests, each count only their own work. Under ROLE=all the worker
 * thread has its own instance and /metrics merges the two: counters and histograms add up, and each gauge says
 * how its two values combine.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly webhooksReceived = new Counter({
    name: 'ecommerce_webhook_deliveries_received_total',
    help: 'Webhook requests by topic and what the endpoint did with them',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookSignatureFailures = new Counter({
    name: 'ecommerce_webhook_signature_failures_total',
    help: 'Webhooks refused because their signature did not match SHOPIFY_API_SECRET, by connected shop (unknown for others)',
    labelNames: ['shop'] as const,
    registers: [this.registry],
  });

  readonly webhooksProcessed = new Counter({
    name: 'ecommerce_webhook_deliveries_processed_total',
    help: 'Stored webhook deliveries processed by a worker, by topic and outcome',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly ingestLatency = new Histogram({
    name: 'ecommerce_webhook_ingest_latency_seconds',
    help: 'From a delivery being stored to its processing being committed',
    labelNames: ['topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly ordersIngested = new Counter({
    name: 'ecommerce_orders_ingested_total',
    help: 'Orders seen by ingestion, by source and whether they were new',
    labelNames: ['source', 'result'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'ecommerce_job_duration_seconds',
    help: 'Queue job run time, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [this.registry],
  });

  readonly jobFailures = new Counter({
    name: 'ecommerce_job_failures_total',
    help: 'Queue jobs that threw, by queue and job name',
    labelNames: ['queue', 'job'] as const,
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'ecommerce_queue_jobs',
    help: 'Jobs in each queue by state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly queueWorkers = new Gauge({
    name: 'ecommerce_queue_workers',
    help: 'Workers connected to each queue, in all processes',
    labelNames: ['queue'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly shopifyCalls = new Counter({
    name: 'ecommerce_shopify_calls_total',
    help: 'HTTP calls to the Shopify Admin API by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly shopifyThrottles = new Counter({
    name: 'ecommerce_shopify_throttled_total',
    help: 'THROTTLED answers and 429s from Shopify (each one was waited out and retried, or ended the call)',
    registers: [this.registry],
  });

  readonly shopifyBucket = new Gauge({
    name: 'ecommerce_shopify_cost_bucket_available',
    help: 'Query cost points available in the shop bucket, as Shopify last reported it',
    labelNames: ['shop'] as const,
    aggregator: 'min',
    registers: [this.registry],
  });

  readonly shopifyBucketMaximum = new Gauge({
    name: 'ecommerce_shopify_cost_bucket_maximum',
    help: 'Size of the shop query cost bucket, as Shopify last reported it',
    labelNames: ['shop'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly statusAttempts = new Counter({
    name: 'ecommerce_status_attempts_total',
    help: 'Attempts of status requests back to the shop (fulfil, mark paid, cancel), by action and outcome (done, retry, waiting, failed)',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly forwardingSends = new Counter({
    name: 'ecommerce_forwarding_sends_total',
    help: 'Sends of orders to ERP destinations, by outcome (in_progress, retry, on_hold)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly forwardingOverdue = new Gauge({
    name: 'ecommerce_forwarding_overdue_messages',
    help: 'Orders not delivered to an enabled ERP destination 30 minutes after they were ingested, as last counted',
    aggregator: 'max',
    registers: [this.registry],
  });

  readonly workerThreadRestarts = new Counter({
    name: 'ecommerce_worker_thread_restarts_total',
    help: 'Times the worker thread of ROLE=all stopped unexpectedly and was started again',
    registers: [this.registry],
  });

  constructor() {
    // Process-wide figures come from the main thread only: the worker thread's metrics are merged into its /metrics.
    if (isMainThread) collectDefaultMetrics({ register: this.registry });
  }

  /** Keeps label values few: anything that is not a topic we handle counts as "other". */
  topicLabel(topic: string | undefined): string {
    return topic && isHandledTopic(topic) ? topic : 'other';
  }
}
