// The native messaging client of the host `epos-trust` (docs/protocol.md). One port per client
// (runtime.connectNative: one host process serves every request of a page or of the background),
// requests matched to replies by id, the port closed again when idle so no process lingers.

export const HOST_NAME = 'com.epos_trust.host';
export const PROTOCOL = 1;

export class HostError extends Error {
  constructor(code, message, details = undefined) {
    super(message);
    this.name = 'HostError';
    this.code = code;
    this.details = details;
  }
}

// What a port's disconnect error means for the person (docs/browser-behaviour.md §4 gives both browsers' wording).
export function disconnectCode(message) {
  if (!message) return 'host_exited';
  if (/not found|No such native application/i.test(message)) return 'host_missing';
  if (/forbidden/i.test(message)) return 'host_forbidden';
  return 'host_exited';
}

export class HostClient {
  // runtime: api.runtime (connectNative); idleMs: close the port after this long without requests.
  constructor(runtime, { idleMs = 20000, timeoutMs = 20000 } = {}) {
    this.runtime = runtime;
    this.idleMs = idleMs;
    this.timeoutMs = timeoutMs;
    this.port = null;
    this.pending = new Map();
    this.nextId = 1;
    this.idleTimer = null;
    this.helloPromise = null;
  }

  connect() {
    if (this.port) return this.port;
    let port;
    try {
      port = this.runtime.connectNative(HOST_NAME);
    } catch (e) {
      throw new HostError(disconnectCode(e.message), e.message);
    }
    port.onMessage.addListener((message) => this.onMessage(message));
    port.onDisconnect.addListener((p) => {
      const message = p?.error?.message ?? globalThis.chrome?.runtime?.lastError?.message ?? '';
      this.onDisconnect(port, message);
    });
    this.port = port;
    return port;
  }

  onMessage(message) {
    const entry = this.pending.get(message?.id);
    if (!entry) return;
    this.pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.ok === true) {
      entry.resolve(message.result);
    } else {
      const error = message.error ?? {};
      entry.reject(new HostError(error.code ?? 'internal', error.message ?? '', error.details));
    }
    this.armIdle();
  }

  onDisconnect(port, message) {
    if (this.port !== port) return;
    this.port = null;
    this.helloPromise = null;
    const code = disconnectCode(message);
    for (const [, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new HostError(code, message || 'The host exited.'));
    }
    this.pending.clear();
  }

  armIdle() {
    clearTimeout(this.idleTimer);
    if (this.pending.size === 0) this.idleTimer = setTimeout(() => this.close(), this.idleMs);
  }

  close() {
    clearTimeout(this.idleTimer);
    const port = this.port;
    if (!port) return;
    this.onDisconnect(port, 'closed');
    port.disconnect();
  }

  // Sends one request; resolves with `result`, rejects with a HostError.
  request(cmd, fields = {}, { timeoutMs = this.timeoutMs } = {}) {
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      let port;
      try {
        port = this.connect();
      } catch (e) {
        reject(e);
        return;
      }
      const id = this.nextId;
      this.nextId += 1;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HostError('host_timeout', `The host did not answer ${cmd} in time.`));
        this.armIdle();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        port.postMessage({ id, cmd, ...fields });
      } catch (e) {
        // A port whose host failed to start can throw here before onDisconnect fires.
        this.pending.delete(id);
        clearTimeout(timer);
        reject(new HostError(disconnectCode(e.message), e.message));
      }
    });
  }

  // hello, once per port, with the protocol check: a host older than this extension's protocol
  // is "too old" (the person must update it), not a generic error.
  hello() {
    if (!this.helloPromise) {
      this.helloPromise = this.request('hello').then((result) => {
        if (!Number.isInteger(result?.protocol) || result.protocol < PROTOCOL) {
          throw new HostError('host_too_old', `The host speaks protocol ${result?.protocol}.`);
        }
        return result;
      });
      this.helloPromise.catch(() => {
        this.helloPromise = null;
      });
    }
    return this.helloPromise;
  }

  async inspect(url) {
    await this.hello();
    return this.request('inspect', { url });
  }

  // origin: the POS page origin the person was asked on (recorded in the journal's pos_origins,
  // which the host's relay checks); omitted for a trust from the popup or the check page.
  async trust(url, sha256, origin = undefined) {
    await this.hello();
    return this.withTooOld(this.request('trust', { url, sha256, ...(origin ? { origin } : {}) }));
  }

  // docs/protocol.md "relay": one held POS print to a trusted printer. request: {url, path,
  // query, method, body, content_type?, origin, timeout_ms?}; resolves with {status,
  // status_text, content_type, body, sha256, elapsed_ms}. The client waits a little longer than
  // the host's own timeout so that the host's `timeout` code, not host_timeout, says what failed.
  async relay(request) {
    await this.hello();
    const timeoutMs = Math.max(this.timeoutMs, (request.timeout_ms ?? 15000) + 5000);
    return this.withTooOld(this.request('relay', request, { timeoutMs }));
  }

  async untrust(sha256) {
    await this.hello();
    return this.withTooOld(this.request('untrust', { sha256 }));
  }

  async list() {
    await this.hello();
    return this.withTooOld(this.request('list'));
  }

  // hello's chromium_flush, asked afresh: the port's first hello may be older than an
  // administrator's enabling of the flush helper. A host too old to say is taken as "no helper".
  async chromiumFlushAvailable() {
    await this.hello();
    const fresh = await this.request('hello');
    return fresh?.chromium_flush === true;
  }

  // docs/protocol.md "flush-chromium": {available, state, effective_in_ms}, or a HostError
  // (flush_unavailable: no helper answered; then a browser restart is the way).
  async flushChromium() {
    await this.hello();
    return this.withTooOld(this.request('flush-chromium'));
  }

  // docs/protocol.md "export-cert": the printer's certificate for tablets ({sha256, file_stem,
  // mobileconfig, crt_pem, crt_der_base64}); refused like trust (fingerprint_mismatch, ...).
  async exportCert(url, sha256) {
    await this.hello();
    return this.withTooOld(this.request('export-cert', { url, sha256 }));
  }

  // A host that does not know a command is older than this extension.
  async withTooOld(promise) {
    try {
      return await promise;
    } catch (e) {
      if (e.code === 'unknown_command') throw new HostError('host_too_old', e.message);
      throw e;
    }
  }
}
