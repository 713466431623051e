// Request counters for the control API: total, per endpoint ("GET /calls")
// and per outcome (HTTP status, or "reset" / "timeout" / "aborted").

export class Counters {
  constructor() { this.reset(); }

  reset() {
    this.total = 0;
    this.byEndpoint = {};
    this.byStatus = {};
  }

  request(endpoint) {
    this.total++;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
  }

  outcome(status) {
    const k = String(status);
    this.byStatus[k] = (this.byStatus[k] ?? 0) + 1;
  }

  snapshot() {
    return { total: this.total, by_endpoint: { ...this.byEndpoint }, by_status: { ...this.byStatus } };
  }
}
