import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { DbHandle, Db } from '../db/client.js';
import type { Storage } from '../modules/files/storage.js';
import { zIntParam } from '../../shared/int.js';

/** What every module's routes receive. */
export interface Deps {
  dbh: DbHandle;
  db: Db;
  config: Config;
  storage: Storage;
  cookieOptions: { httpOnly: boolean; sameSite: 'lax'; secure: boolean; path: string; maxAge: number };
}

export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export const ZUuidParams = z.object({ id: z.string().uuid('Mã không hợp lệ') });
export const ZIntIdParams = z.object({ id: zIntParam() });
export const ZOk = z.object({ ok: z.literal(true) });

/**
 * Reads the one uploaded file of a multipart request as an .xlsx workbook. The size limit applies while streaming;
 * .xlsx is a zip, so anything else is refused by its bytes, whatever its name says.
 */
export async function readXlsxUpload(req: FastifyRequest, maxBytes: number): Promise<Buffer> {
  return (await readXlsxUploadNamed(req, maxBytes)).data;
}

/** readXlsxUpload, with the file's name as the browser sent it (shown back to its importer, never used as a path). */
export async function readXlsxUploadNamed(req: FastifyRequest, maxBytes: number): Promise<{ data: Buffer; fileName: string | null }> {
  const file = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!file) throw new AppError('VALIDATION', { errors: [{ path: 'file', message: 'Chưa chọn tệp' }] });
  const data = await file.toBuffer();
  if (data.length < 4 || data.readUInt32LE(0) !== 0x04034b50) throw new AppError('UNSUPPORTED_FILE', { detail: 'Cần tệp Excel .xlsx' });
  return { data, fileName: file.filename ? file.filename.slice(0, 200) : null };
}
