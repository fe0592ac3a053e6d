import { type IncomingMessage, type ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { isJsonObject, type JsonObject, type JsonValue } from "../json";
import { KubernetesApiError, badRequestError } from "./api-errors";
import { type CountedVerb, type RequestCounters, type RequestLogEntry } from "./counters";
import {
  buildApiGroupList,
  buildApiResourceList,
  buildCoreApiVersions,
  buildVersionInfo,
  findApiGroup,
} from "./discovery";
import {
  type PatchKind,
  type ResourceAddress,
  type ResourceOperations,
  type WriteOutcome,
} from "./resource-operations";
import { NAMESPACE_TYPE, findResourceTypeByPlural, type ResourceType } from "./resource-types";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { type WatchStreams } from "./watch";

export interface RouteContext {
  operations: ResourceOperations;
  watches: WatchStreams;
  counters: RequestCounters;
  requestLog: RequestLogEntry[];
  serverAddress: () => string;
}

type Route =
  | { kind: "document"; build: () => JsonObject | undefined }
  | { kind: "health" }
  | {
      kind: "resource";
      type: ResourceType;
      namespace: string | undefined;
      name: string | undefined;
      subresource: string | undefined;
    };

interface Answer {
  statusCode: number;
  body: JsonObject | string;
  verb: CountedVerb | "other";
}

const maximumBodyBytes = 8 * 1024 * 1024;
const requestLogLimit = 10_000;

const patchKindsByContentType: Record<string, PatchKind | "apply"> = {
  "application/apply-patch+yaml": "apply",
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
  "application/strategic-merge-patch+json": "strategic",
};

/** The HTTP face of the test server: parses a request, calls one operation, writes the answer. */
export function createRequestHandler(context: RouteContext) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handleRequest(context, request, response).catch((error: unknown) => {
      const failure =
        error instanceof KubernetesApiError
          ? error
          : new KubernetesApiError(500, "InternalError", `internal error: ${String(error)}`);
      if (!response.headersSent) {
        writeAnswer(context, request, response, {
          statusCode: failure.code,
          body: failure.toStatus(),
          verb: "failed",
        });
      } else {
        response.end();
      }
    });
  };
}

async function handleRequest(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://test-server");
  const route = parseRoute(url.pathname, context);
  if (route.kind === "health") {
    writeAnswer(context, request, response, { statusCode: 200, body: "ok", verb: "other" });
    return;
  }
  if (route.kind === "document") {
    if (request.method !== "GET") throw methodNotAllowed(request.method);
    const document = route.build();
    if (!document) throw notFoundPath();
    writeAnswer(context, request, response, { statusCode: 200, body: document, verb: "discovery" });
    return;
  }
  if (isWatchRequest(request, url)) {
    if (route.name !== undefined)
      throw badRequestError("watch a single object with fieldSelector=metadata.name=<name>");
    const timeout = url.searchParams.get("timeoutSeconds");
    context.watches.serve(
      {
        type: route.type,
        namespace: route.namespace,
        labelSelector: parseLabelSelector(url.searchParams.get("labelSelector")),
        fieldSelector: parseFieldSelector(url.searchParams.get("fieldSelector")),
        resourceVersion: url.searchParams.get("resourceVersion") ?? undefined,
        timeoutSeconds: timeout === null ? undefined : Number(timeout),
      },
      response,
    );
    context.counters.watch += 1;
    recordRequest(context, request, url, "watch", 200);
    return;
  }
  if (request.method === "POST" || request.method === "PUT") requireJsonContent(request);
  const body = await readBody(request);
  const answer = answerResourceRequest(context, route, request, url, body);
  writeAnswer(context, request, response, answer);
}

function answerResourceRequest(
  context: RouteContext,
  route: Extract<Route, { kind: "resource" }>,
  request: IncomingMessage,
  url: URL,
  body: string,
): Answer {
  const { operations } = context;
  const method = request.method ?? "GET";
  const manager = readFieldManager(request, url);
  const labelSelector = () => parseLabelSelector(url.searchParams.get("labelSelector"));
  const fieldSelector = () => parseFieldSelector(url.searchParams.get("fieldSelector"));

  if (route.name === undefined) {
    if (method === "GET") {
      const list = operations.list(route.type, route.namespace, labelSelector(), fieldSelector());
      return { statusCode: 200, body: list, verb: "list" };
    }
    if (method === "POST") {
      const created = operations.create(route.type, route.namespace, parseJsonBody(body), manager);
      return { statusCode: 201, body: created, verb: "create" };
    }
    if (method === "DELETE") {
      const deleted = operations.deleteCollection(
        route.type,
        route.namespace,
        labelSelector(),
        fieldSelector(),
      );
      return { statusCode: 200, body: deleted, verb: "delete" };
    }
    throw methodNotAllowed(method);
  }

  const address: ResourceAddress = {
    type: route.type,
    namespace: route.namespace,
    name: route.name,
  };
  if (route.subresource === undefined) {
    switch (method) {
      case "GET":
        return { statusCode: 200, body: operations.get(address), verb: "get" };
      case "PUT": {
        const outcome = operations.replace(address, parseJsonBody(body), manager);
        return {
          statusCode: 200,
          body: outcome.object,
          verb: outcome.isChanged ? "update" : "updateNoop",
        };
      }
      case "PATCH": {
        const patchKind = readPatchKind(request);
        if (patchKind === "apply") {
          const fieldManager = url.searchParams.get("fieldManager");
          if (!fieldManager) {
            throw new KubernetesApiError(
              422,
              "Invalid",
              'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            );
          }
          const outcome = operations.apply(address, parseYamlBody(body), {
            manager: fieldManager,
            isForced: url.searchParams.get("force") === "true",
          });
          return {
            statusCode: outcome.isCreated ? 201 : 200,
            body: outcome.object,
            verb: outcome.isChanged ? "patchChanged" : "patchNoop",
          };
        }
        const outcome = operations.patch(address, patchKind, parseJsonBody(body), manager);
        return {
          statusCode: 200,
          body: outcome.object,
          verb: outcome.isChanged ? "patchChanged" : "patchNoop",
        };
      }
      case "DELETE":
        return {
          statusCode: 200,
          body: operations.delete(address, readPropagationPolicy(url, body)),
          verb: "delete",
        };
      default:
        throw methodNotAllowed(method);
    }
  }

  if (route.subresource === "status" && route.type.hasStatus) {
    return routeSubresource(method, request, body, {
      read: () => operations.get(address),
      replace: (object) => operations.replaceStatus(address, object),
      patch: (patchType, patch) => operations.patchStatus(address, patchType, patch),
    });
  }

  if (route.subresource === "scale" && route.type.hasScale) {
    return routeSubresource(method, request, body, {
      read: () => operations.readScale(address),
      replace: (object) => operations.replaceScale(address, object),
      patch: (patchType, patch) => operations.patchScale(address, patchType, patch),
    });
  }
  if (route.subresource === "log" && route.type.hasLog) {
    if (method !== "GET") throw methodNotAllowed(method);
    const container = url.searchParams.get("container") ?? undefined;
    const log = operations.readLog(address, container);
    return {
      statusCode: 200,
      body: lastLines(log, url.searchParams.get("tailLines")),
      verb: "get",
    };
  }
  throw notFoundPath();
}

/** `tailLines=<n>`: the last n lines of a log, as the kubelet answers it. */
function lastLines(log: string, tailLines: string | null): string {
  if (tailLines === null) return log;
  const count = Number(tailLines);
  if (!Number.isInteger(count) || count < 0) throw badRequestError("tailLines must be ≥ 0");
  const lines = log.split("\n");
  const hasFinalNewline = log.endsWith("\n");
  if (hasFinalNewline) lines.pop();
  const kept = count === 0 ? [] : lines.slice(-count);
  return kept.length === 0 ? "" : `${kept.join("\n")}${hasFinalNewline ? "\n" : ""}`;
}

/** DeleteOptions' propagationPolicy: the query parameter, else the request body's. */
function readPropagationPolicy(url: URL, body: string): string | undefined {
  const fromQuery = url.searchParams.get("propagationPolicy");
  if (fromQuery) return fromQuery;
  if (body.trim() === "") return undefined;
  const options = parseJsonBody(body);
  const policy = isJsonObject(options) ? options.propagationPolicy : undefined;
  return typeof policy === "string" ? policy : undefined;
}

/**
 * Paths the API server serves: discovery documents, then
 * /api/v1[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]] and the same
 * under /apis/<group>/<version>. /api/v1/namespaces/<name>[/status] is the
 * namespace itself.
 */
/** The status and scale subresources answer the same verbs, each on its own slice of the object. */
function routeSubresource(
  method: string,
  request: IncomingMessage,
  body: string,
  subresource: {
    read: () => JsonObject;
    replace: (object: JsonValue) => WriteOutcome;
    patch: (patchType: PatchKind, patch: JsonValue) => WriteOutcome;
  },
): Answer {
  switch (method) {
    case "GET":
      return { statusCode: 200, body: subresource.read(), verb: "get" };
    case "PUT": {
      const outcome = subresource.replace(parseJsonBody(body));
      return {
        statusCode: 200,
        body: outcome.object,
        verb: outcome.isChanged ? "update" : "updateNoop",
      };
    }
    case "PATCH": {
      const outcome = subresource.patch(requireNonApplyPatch(request), parseJsonBody(body));
      return {
        statusCode: 200,
        body: outcome.object,
        verb: outcome.isChanged ? "patchChanged" : "patchNoop",
      };
    }
    default:
      throw methodNotAllowed(method);
  }
}

function parseRoute(pathname: string, context: RouteContext): Route {
  const segments = pathname
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => decodeURIComponent(segment));
  const [root, second, third] = segments;
  if (segments.length === 1 && ["healthz", "readyz", "livez"].includes(root ?? ""))
    return { kind: "health" };
  if (segments.length === 1 && root === "version")
    return { kind: "document", build: buildVersionInfo };
  if (root === "api" && segments.length === 1) {
    return { kind: "document", build: () => buildCoreApiVersions(context.serverAddress()) };
  }
  if (root === "apis" && segments.length === 1)
    return { kind: "document", build: buildApiGroupList };
  if (root === "apis" && segments.length === 2)
    return { kind: "document", build: () => findApiGroup(second ?? "") };

  let group: string;
  let version: string;
  let rest: string[];
  if (root === "api" && second !== undefined) {
    [group, version, rest] = ["", second, segments.slice(2)];
  } else if (root === "apis" && second !== undefined && third !== undefined) {
    [group, version, rest] = [second, third, segments.slice(3)];
  } else {
    throw notFoundPath();
  }
  if (rest.length === 0)
    return { kind: "document", build: () => buildApiResourceList(group, version) };

  const isNamespaceItself =
    group === "" &&
    rest[0] === "namespaces" &&
    (rest.length <= 2 || ["status", "finalize"].includes(rest[2] ?? ""));
  if (rest[0] === "namespaces" && rest.length >= 3 && !isNamespaceItself) {
    const [, namespace, plural = "", name, subresource, ...extra] = rest;
    const type = findResourceTypeByPlural(group, version, plural);
    if (!type || !type.isNamespaced || extra.length > 0) throw notFoundPath();
    return { kind: "resource", type, namespace, name, subresource };
  }
  const [plural = "", name, subresource, ...extra] = rest;
  const type = isNamespaceItself
    ? NAMESPACE_TYPE
    : findResourceTypeByPlural(group, version, plural);
  if (!type || extra.length > 0) throw notFoundPath();
  if (type.isNamespaced && name !== undefined) throw notFoundPath();
  return { kind: "resource", type, namespace: undefined, name, subresource };
}

function isWatchRequest(request: IncomingMessage, url: URL): boolean {
  const watch = url.searchParams.get("watch");
  return request.method === "GET" && (watch === "true" || watch === "1");
}

function readPatchKind(request: IncomingMessage): PatchKind | "apply" {
  const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  const kind = patchKindsByContentType[contentType];
  if (!kind) {
    throw new KubernetesApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchKindsByContentType).join(", ")}`,
    );
  }
  return kind;
}

/** Protobuf and CBOR (kubectl's defaults for built-in kinds when writing) are not spoken here. */
function requireJsonContent(request: IncomingMessage): void {
  const contentType =
    (request.headers["content-type"] ?? "application/json").split(";")[0]?.trim() ?? "";
  if (contentType !== "application/json" && contentType !== "*/*") {
    throw new KubernetesApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format (${contentType}) - this test server accepts application/json`,
    );
  }
}

function requireNonApplyPatch(request: IncomingMessage): PatchKind {
  const kind = readPatchKind(request);
  if (kind === "apply") {
    throw new KubernetesApiError(
      415,
      "UnsupportedMediaType",
      "this test server supports server-side apply on main resources only",
    );
  }
  return kind;
}

/** Non-apply writes are attributed like the API server does: fieldManager, else the client's user agent. */
function readFieldManager(request: IncomingMessage, url: URL): string {
  const fromQuery = url.searchParams.get("fieldManager");
  if (fromQuery) return fromQuery;
  const userAgent = request.headers["user-agent"] ?? "";
  return userAgent.split("/")[0]?.trim() || "unknown";
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maximumBodyBytes) {
      throw new KubernetesApiError(413, "RequestEntityTooLarge", "the request body is too large");
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJsonBody(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    throw badRequestError("the request body is not valid JSON");
  }
}

/**
 * An apply body is YAML, and JSON is YAML. Clients send JSON almost always,
 * so it is tried first, as the API server's own YAML decoder does: the YAML
 * parser is far slower on the same bytes.
 */
function parseYamlBody(body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    // Not JSON: YAML proper.
  }
  try {
    return parseYaml(body) as JsonValue;
  } catch {
    throw badRequestError("the request body is not valid YAML or JSON");
  }
}

function writeAnswer(
  context: RouteContext,
  request: IncomingMessage,
  response: ServerResponse,
  answer: Answer,
): void {
  const url = new URL(request.url ?? "/", "http://test-server");
  const isSuccess = answer.statusCode >= 200 && answer.statusCode < 300;
  const verb = isSuccess ? answer.verb : "failed";
  if (verb !== "other") context.counters[verb] += 1;
  recordRequest(context, request, url, verb, answer.statusCode);
  const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  response.writeHead(answer.statusCode, {
    "Content-Type":
      typeof answer.body === "string" ? "text/plain; charset=utf-8" : "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

function recordRequest(
  context: RouteContext,
  request: IncomingMessage,
  url: URL,
  verb: CountedVerb | "other",
  statusCode: number,
): void {
  context.requestLog.push({
    method: request.method ?? "GET",
    path: url.pathname,
    query: url.search,
    verb,
    statusCode,
  });
  if (context.requestLog.length > requestLogLimit) context.requestLog.shift();
}

function methodNotAllowed(method: string | undefined): KubernetesApiError {
  return new KubernetesApiError(
    405,
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method ?? ""})`,
  );
}

function notFoundPath(): KubernetesApiError {
  return new KubernetesApiError(
    404,
    "NotFound",
    "the server could not find the requested resource",
  );
}
