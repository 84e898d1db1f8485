/** An admin over HTTP with a cookie jar, as a browser or a script would use the API and the console. */
export class AdminClient {
  cookies = new Map<string, string>();
  csrfToken = "";
  constructor(
    public baseUrl: string,
    public bearer?: string,
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: { method?: string; json?: unknown; form?: Record<string, string>; body?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    let body: string | undefined = init.body;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    } else if (init.contentType) headers["content-type"] = init.contentType;
    const response = await fetch(`${this.baseUrl}${path}`, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body, redirect: "manual" });
    this.keep(response);
    return response;
  }

  async json<T = Record<string, unknown>>(path: string, init: Parameters<AdminClient["request"]>[1] = {}): Promise<{ status: number; body: T }> {
    const response = await this.request(path, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async login(email: string, password: string): Promise<number> {
    const { status, body } = await this.json<{ csrfToken: string }>("/api/admin/session", { json: { email, password } });
    if (status === 200) this.csrfToken = body.csrfToken;
    return status;
  }

  /** A console page's CSRF token, read from its form as a browser would. */
  async formToken(path: string): Promise<string> {
    const html = await (await this.request(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path}`);
    return token.replaceAll("&#124;", "|");
  }
}
