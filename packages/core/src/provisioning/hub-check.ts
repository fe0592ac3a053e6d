import { randomUUID } from "node:crypto";
import { WebSocket } from "ws";
import { executeRequestMessage, healthCheckUserName, type KernelMessage } from "@hubfed/hub-spec";

// `hubfed health-check <hub>`: what a student does, end to end, as the synthetic health-check
// user — get a user on the hub, start a server, run a cell on a kernel, stop the server. Each
// step is timed and reported; the first failure ends the check with its reason, and the server
// is stopped whatever happened. It speaks only JupyterHub's REST API and Jupyter's kernel
// protocol, so it checks local and Kubernetes hubs alike.

export interface HubCheckTarget {
  /** The hub's public origin, e.g. https://data-101.us-west.hubfed.example.org */
  hubUrl: string;
  /** A token whose scopes cover the health-check user (healthCheckScopes). */
  token: string;
}

export interface HubCheckStep {
  name: string;
  isOk: boolean;
  detail: string;
  durationMs: number;
}

export interface HubCheckReport {
  isHealthy: boolean;
  userName: string;
  steps: HubCheckStep[];
}

export interface HubCheckOptions {
  /** How long the server may take to start (the hub's own start timeout is usually longer). */
  serverStartTimeoutMs?: number;
  /** How long the cell may take to run. */
  executeTimeoutMs?: number;
  /** The code the kernel runs and what it must print. */
  cell?: { code: string; expectedOutput: string };
  pollMs?: number;
  onStep?: (step: HubCheckStep) => void;
}

class StepFailed extends Error {}

const defaultCell = { code: "print(6 * 7)", expectedOutput: "42" };

export async function runHubCheck(
  target: HubCheckTarget,
  {
    serverStartTimeoutMs = 300_000,
    executeTimeoutMs = 60_000,
    cell = defaultCell,
    pollMs = 1_000,
    onStep,
  }: HubCheckOptions = {},
): Promise<HubCheckReport> {
  const origin = target.hubUrl.replace(/\/+$/, "");
  const user = encodeURIComponent(healthCheckUserName);
  const hubApi = `${origin}/hub/api`;
  const serverApi = `${origin}/user/${user}/api`;
  const headers = { Authorization: `token ${target.token}` };
  const steps: HubCheckStep[] = [];

  async function step(name: string, run: () => Promise<string>): Promise<void> {
    const startedAt = performance.now();
    let result: HubCheckStep;
    try {
      result = { name, isOk: true, detail: await run(), durationMs: 0 };
    } catch (error) {
      result = { name, isOk: false, detail: describeError(error), durationMs: 0 };
    }
    result.durationMs = Math.round(performance.now() - startedAt);
    steps.push(result);
    onStep?.(result);
    if (!result.isOk) throw new StepFailed(result.detail);
  }

  async function call(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  }

  async function serverState(): Promise<{ ready: boolean; pending: string | null } | undefined> {
    const response = await call("GET", `${hubApi}/users/${user}`);
    if (!response.ok)
      throw new Error(`GET /hub/api/users/${healthCheckUserName}: HTTP ${response.status}`);
    const answer = (await response.json()) as {
      servers?: Record<string, { ready: boolean; pending: string | null }>;
    };
    return answer.servers?.[""];
  }

  let serverStarted = false;
  try {
    await step("Reach the hub's API", async () => {
      const response = await call("GET", `${hubApi}/`);
      if (!response.ok) throw new Error(`GET /hub/api/: HTTP ${response.status}`);
      const { version } = (await response.json()) as { version: string };
      return `JupyterHub ${version}`;
    });

    await step(`Sign in as ${healthCheckUserName}`, async () => {
      const response = await call("POST", `${hubApi}/users/${user}`);
      if (response.status === 409) return "the user exists";
      if (response.status === 403)
        throw new Error(
          "the token may not create the health-check user (HTTP 403): the hub's configuration predates `hubfed health-check`; reconcile it",
        );
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      return "user created";
    });

    await step("Start a server", async () => {
      const response = await call("POST", `${hubApi}/users/${user}/server`);
      if (![201, 202, 400].includes(response.status))
        throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      serverStarted = true;
      const deadline = Date.now() + serverStartTimeoutMs;
      for (;;) {
        const server = await serverState();
        if (server?.ready) return "the server is ready";
        if (!server) throw new Error("the server stopped while starting (see the hub's log)");
        if (Date.now() > deadline)
          throw new Error(
            `not ready after ${serverStartTimeoutMs / 1000} s (${server.pending ?? "pending"})`,
          );
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    });

    let kernelId = "";
    await step("Start a kernel", async () => {
      const response = await call("POST", `${serverApi}/kernels`, {});
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      const kernel = (await response.json()) as { id: string; name: string };
      kernelId = kernel.id;
      return `kernel ${kernel.name}`;
    });

    await step("Run a cell", async () => {
      const output = await executeCell(
        `${serverApi.replace(/^http/, "ws")}/kernels/${kernelId}/channels`,
        headers,
        cell.code,
        executeTimeoutMs,
      );
      if (output.trim() !== cell.expectedOutput)
        throw new Error(
          `${cell.code} printed ${JSON.stringify(output.trim())}, not ${cell.expectedOutput}`,
        );
      return `${cell.code} → ${output.trim()}`;
    });
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
  } finally {
    if (serverStarted)
      await step("Stop the server", async () => {
        const response = await call("DELETE", `${hubApi}/users/${user}/server`);
        if (![202, 204, 400].includes(response.status))
          throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        const deadline = Date.now() + 120_000;
        while (await serverState()) {
          if (Date.now() > deadline) throw new Error("the server did not stop within 120 s");
          await new Promise((resolve) => setTimeout(resolve, pollMs));
        }
        return "the server stopped";
      }).catch((error: unknown) => {
        if (!(error instanceof StepFailed)) throw error;
      });
  }
  return {
    isHealthy: steps.every((entry) => entry.isOk),
    userName: healthCheckUserName,
    steps,
  };
}

/** One execute_request on the kernel's channels (Jupyter's JSON websocket protocol); its stdout. */
function executeCell(
  url: string,
  headers: Record<string, string>,
  code: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messageId = randomUUID();
    let output = "";
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no reply within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(output);
    };
    socket.on("error", (error) => finish(error));
    socket.on("unexpected-response", (_request, response) =>
      finish(new Error(`the kernel's websocket answered HTTP ${response.statusCode}`)),
    );
    socket.on("open", () => {
      socket.send(executeRequestMessage({ messageId, code, username: healthCheckUserName }));
    });
    // Output arrives on iopub and the reply on shell, in no guaranteed order between them; the
    // kernel's "idle" on iopub comes after the cell's last output.
    let replyStatus: string | undefined;
    let isIdle = false;
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString()) as KernelMessage;
      if (message.parent_header.msg_id !== messageId) return;
      if (message.msg_type === "stream" && message.content.name === "stdout")
        output += message.content.text ?? "";
      if (message.msg_type === "error") {
        finish(new Error(`${message.content.ename ?? "Error"}: ${message.content.evalue ?? ""}`));
        return;
      }
      if (message.msg_type === "execute_reply") replyStatus = message.content.status ?? "?";
      if (message.msg_type === "status" && message.content.execution_state === "idle")
        isIdle = true;
      if (replyStatus !== undefined && isIdle)
        finish(replyStatus === "ok" ? undefined : new Error(`the kernel replied ${replyStatus}`));
    });
  });
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
