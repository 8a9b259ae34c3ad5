import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { TestApp } from './app.js';

/** Asserts an application/problem+json answer with the status and code, and no stack trace leaking. */
export function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json();
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  expect(typeof body.title).toBe('string');
  expect(res.body).not.toMatch(/"stack"|\n\s+at |node_modules|\/src\/server\//);
  return body as { type: string; title: string; status: number; code: string; detail?: string; errors?: { path: string; message: string }[] } & Record<string, unknown>;
}

export interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body built by hand (what a browser sends), for app.inject. */
export function multipart(parts: Part[]) {
  const boundary = `----ocopTestBoundary${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A multipart body with one file in the field "file". */
export const fileUpload = (data: Buffer, filename: string, contentType: string) => multipart([{ name: 'file', data, filename, contentType }]);

export const pngOf = (width = 40, height = 30, background = '#c33') =>
  sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
export const jpegOf = (width = 40, height = 30, background = '#3c3') =>
  sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer();

/** One number from SQL (count(*) and the like). */
export async function scalar(t: TestApp, sqlText: string, params: unknown[] = []): Promise<number> {
  const rows = await t.dbh.query<Record<string, unknown>>(sqlText, params);
  return Number(Object.values(rows[0])[0]);
}

/** Uploads an 800×600 photo for a product as `s` (stamps are issued only for products with a photo). */
export async function addProductPhoto(t: TestApp, s: { cookie: string; csrf: string }, productId: string) {
  const up = fileUpload(await pngOf(800, 600), 'anh.png', 'image/png');
  const res = await t.app.inject({ method: 'POST', url: `/api/products/${productId}/photos`, payload: up.payload, headers: { ...up.headers, cookie: s.cookie, 'x-csrf-token': s.csrf } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}
