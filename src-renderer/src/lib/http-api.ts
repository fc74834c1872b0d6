// The api contract over the web host: calls as POST /api/<method> with the page's token, events
// over one WebSocket that reconnects after a drop. The Electron preload offers the same `Api`.
import type { Api, ApiEvent, ApiInput, ApiOutput, Method } from '../../../src-main/common/contract';

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createHttpApi(token: string, base = window.location.origin): Api {
  const listeners = new Set<(e: ApiEvent) => void>();
  let socket: WebSocket | null = null;

  const connect = () => {
    const url = new URL('/events', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onmessage = (m) => {
      const event = JSON.parse(String(m.data)) as ApiEvent;
      listeners.forEach((l) => l(event));
    };
    // a dropped connection (host restarted, laptop slept) comes back on its own
    socket.onclose = () => listeners.size > 0 && setTimeout(connect, 1000);
  };

  return {
    async call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const res = await fetch(new URL(`/api/${method}`, base), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      const body = await res.json();
      if (!res.ok) throw new ApiCallError(body.code ?? 'internal', body.message ?? `HTTP ${res.status}`);
      return body as ApiOutput<M>;
    },
    on(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => listeners.delete(listener);
    },
  };
}

/** The token the host printed, from ?token= (then kept out of the address bar and history). */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token') ?? sessionStorage.getItem('sqs-token');
  if (token) {
    sessionStorage.setItem('sqs-token', token);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url);
  }
  return token;
}
