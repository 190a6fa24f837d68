import type { Metrics } from './metrics.js';
import { routeTemplate } from './metrics.js';
import { endUpstreamSpan, upstreamSpan } from './trace.js';

/**
 * One upstream call, observed: in flight from now, counted by status as soon as it is known (0: no
 * answer), timed and its span ended once its body is done. `trace` holds the headers that carry its
 * span upstream (none while traces are off).
 */
export function measureCall(metrics: Metrics | undefined, upstream: string, path: string, cache: 'miss' | 'bypass' | 'none'): { answered(status: number): void; ended(): void; trace: Record<string, string> } {
  const endpoint = routeTemplate(path);
  const { span, headers } = upstreamSpan(upstream, endpoint, cache);
  metrics?.upstreamInFlight.inc({ upstream });
  const end = metrics?.upstreamDuration.startTimer({ upstream, endpoint });
  let status = 0;
  let ended = false;
  return {
    trace: headers,
    answered: (answered) => {
      status = answered;
      metrics?.upstreamRequests.inc({ upstream, endpoint, status: String(answered) });
    },
    ended: () => {
      if (ended) return;
      ended = true;
      metrics?.upstreamInFlight.dec({ upstream });
      end?.();
      endUpstreamSpan(span, status);
    },
  };
}
