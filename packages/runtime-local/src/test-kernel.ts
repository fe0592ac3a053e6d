import { randomUUID } from "node:crypto";
import { executeRequestMessage, type KernelMessage } from "@hubfed/hub-spec";
import { WebSocket } from "ws";
import type { HttpBrowser } from "./test-browser";

/** What one cell did on a user's kernel, as the notebook's page would see it. */
export interface CellResult {
  stdout: string;
  /** "ok", "error", or "died" when the kernel went away before answering (e.g. killed). */
  status: "ok" | "error" | "died";
  error?: string;
}

/**
 * Starts a kernel on a signed-in user's server and runs cells on it over Jupyter's websocket
 * protocol, with the browser's cookies and the server's XSRF token: the way a student's page
 * does, so the code runs as that student's server runs it.
 */
export class TestKernel {
  private constructor(
    readonly socket: WebSocket,
    readonly kernelId: string,
  ) {}

  static async start(browser: HttpBrowser, serverUrl: string): Promise<TestKernel> {
    const base = serverUrl.replace(/\/+$/, "");
    // The tree page sets the server's _xsrf cookie, which a POST must echo.
    await browser.follow(await browser.request(`${base}/tree`));
    const xsrf = browser.cookieValue(base, "_xsrf") ?? "";
    const created = await browser.request(`${base}/api/kernels`, {
      method: "POST",
      body: "{}",
      headers: { "X-XSRFToken": xsrf, "content-type": "application/json" },
    });
    if (created.status !== 201)
      throw new Error(`POST /api/kernels: HTTP ${created.status}: ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    const channels = `${base.replace(/^http/, "ws")}/api/kernels/${id}/channels`;
    const socket = new WebSocket(channels, {
      headers: { Cookie: browser.cookieHeaderFor(channels.replace(/^ws/, "http")) },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_request, response) =>
        reject(new Error(`kernel websocket: HTTP ${response.statusCode}`)),
      );
    });
    return new TestKernel(socket, id);
  }

  run(code: string, timeoutMs = 60_000): Promise<CellResult> {
    const messageId = randomUUID();
    return new Promise((resolve) => {
      let stdout = "";
      let replyStatus: string | undefined;
      let error: string | undefined;
      let isIdle = false;
      const finish = (status: CellResult["status"]) => {
        clearTimeout(timer);
        this.socket.off("message", onMessage);
        this.socket.off("close", onClose);
        resolve({ stdout, status, ...(error === undefined ? {} : { error }) });
      };
      const timer = setTimeout(() => finish("died"), timeoutMs);
      const onClose = () => finish("died");
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as KernelMessage;
        // A kernel killed mid-cell is restarted by its server, which says so on iopub.
        if (message.msg_type === "status" && message.content.execution_state === "restarting")
          return finish("died");
        if (message.parent_header.msg_id !== messageId) return;
        if (message.msg_type === "stream" && message.content.name === "stdout")
          stdout += message.content.text ?? "";
        if (message.msg_type === "error")
          error = `${message.content.ename ?? "Error"}: ${message.content.evalue ?? ""}`;
        if (message.msg_type === "execute_reply") replyStatus = message.content.status ?? "?";
        if (message.msg_type === "status" && message.content.execution_state === "idle")
          isIdle = true;
        if (replyStatus !== undefined && isIdle) finish(replyStatus === "ok" ? "ok" : "error");
      };
      this.socket.on("message", onMessage);
      this.socket.on("close", onClose);
      this.socket.send(executeRequestMessage({ messageId, code, username: "" }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
