import { randomUUID } from "node:crypto";

/**
 * A Jupyter messaging protocol (5.3) `execute_request`, as sent over a kernel's WebSocket
 * channels: `hubfed health-check` runs a cell this way, and so do the local runtime's tests from
 * inside a student's server. Output comes back on "iopub" with `messageId` as its parent.
 */
export function executeRequestMessage({
  messageId,
  code,
  username,
}: {
  messageId: string;
  code: string;
  username: string;
}): string {
  return JSON.stringify({
    header: {
      msg_id: messageId,
      msg_type: "execute_request",
      username,
      session: randomUUID(),
      date: new Date().toISOString(),
      version: "5.3",
    },
    parent_header: {},
    metadata: {},
    content: {
      code,
      silent: false,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    },
    channel: "shell",
    buffers: [],
  });
}

/** What the runtime reads of a message from a kernel's WebSocket (output, status, the reply). */
export interface KernelMessage {
  channel?: string;
  msg_type: string;
  parent_header: { msg_id?: string };
  content: {
    name?: string;
    text?: string;
    status?: string;
    execution_state?: string;
    ename?: string;
    evalue?: string;
  };
}
