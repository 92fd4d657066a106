import { MalformedOrderError } from '../../ecommerce/orders/order.js';
import { DOMAIN_ERROR_CODES, DomainError, HTTP_STATUS_OF, isRetryable, RETRYABLE } from './domain-error.js';

describe('domain errors', () => {
  it('give every code an HTTP status in the 4xx/5xx range and a retry decision', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400);
      expect(typeof RETRYABLE[code]).toBe('boolean');
    }
  });

  it('retries what can heal (upstream, unavailable, unknown errors) and not what cannot (malformed, refused)', () => {
    expect(isRetryable(new DomainError('unavailable', 'Redis is away'))).toBe(true);
    expect(isRetryable(new DomainError('upstream_failed', 'Shopify 502'))).toBe(true);
    expect(isRetryable(new Error('connection reset'))).toBe(true);
    expect(isRetryable(new MalformedOrderError('line_items is missing'))).toBe(false);
    expect(isRetryable(new DomainError('conflict', 'already cancelled'))).toBe(false);
  });
});
