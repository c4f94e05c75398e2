import { z } from "zod";
import { api } from "@/lib/api-client";
import {
  completeResultSchema,
  partsResultSchema,
  planResultSchema,
  signPartsResultSchema,
} from "@/lib/validation/uploads";
import { digest } from "./digest";
import { md5 } from "./http-transport";
import { xhrPut } from "./xhr";
import type { UploadTransport } from "./types";

// The transport of an upload request's page (/u/<token>): the same engine as the console's, talking to the
// request's public API. Files are named by their path in the drop; the server decides where each lands
// (never over an existing object), so there are no conflicts to ask about. `visit` is this browser's id
// for the request (the uploader sees what they sent); `setLabel` names the folder of the next files.

export type ShareTransport = UploadTransport & { setLabel: (name: string) => void };

export function shareTransport(token: string, visit: string): ShareTransport {
  let label = "";
  const base = `/api/public/uploads/${encodeURIComponent(token)}`;
  const post = <S extends z.ZodType>(path: string, schema: S, body: Record<string, unknown>) =>
    api(`${base}${path}`, schema, { method: "POST", body: { visit, ...body } });
  return {
    setLabel(name) {
      label = name.replaceAll("/", "-").replaceAll("\\", "-").trim();
    },
    async plan(_target, files) {
      const name = label;
      return (await post("/plan", planResultSchema, { files, ...(name ? { label: name } : {}) })).uploads;
    },
    async conflicts() {
      return [];
    },
    signParts(_target, uploadId, key, partNumbers) {
      return post("/parts", signPartsResultSchema, { key, uploadId, partNumbers });
    },
    async listParts(_target, uploadId, key) {
      return (await post("/parts/list", partsResultSchema, { key, uploadId })).parts;
    },
    async complete(_target, uploadId, key, parts) {
      await post("/complete", completeResultSchema, { key, uploadId, parts });
    },
    async abort(_target, uploadId, key) {
      await post("/abort", z.object({ aborted: z.boolean() }), { key, uploadId });
    },
    put: xhrPut,
    md5,
    digest,
  };
}

/** This browser's id for one upload request, kept across reloads (resuming needs it). */
export function visitFor(token: string): string {
  const key = `obm-visit-${token.slice(0, 16)}`;
  let v = window.localStorage.getItem(key);
  if (!v || !/^[A-Za-z0-9_-]{16,64}$/.test(v)) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    v = btoa(String.fromCharCode(...bytes))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replaceAll("=", "");
    window.localStorage.setItem(key, v);
  }
  return v;
}
