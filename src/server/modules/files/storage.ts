import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where uploaded bytes live. Local disk now; an S3-compatible store implements the same four calls later. */
export interface Storage {
  put(prefix: string, ext: string, data: Buffer): Promise<string>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

const KEY_RE = /^[a-z0-9-]+\/[0-9a-f]{2}\/[0-9a-f-]{36}\.[a-z0-9]{2,5}$/;

/**
 * Files under DATA_DIR/files, outside any served folder. Keys are generated here (never from a client's file
 * name), so a path-traversal name cannot reach the disk.
 */
export class LocalDiskStorage implements Storage {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    if (!KEY_RE.test(key)) throw new Error(`invalid storage key: ${key}`);
    return path.join(this.root, key);
  }

  async put(prefix: string, ext: string, data: Buffer) {
    if (!/^[a-z0-9-]+$/.test(prefix) || !/^[a-z0-9]{2,5}$/.test(ext)) throw new Error('invalid prefix or extension');
    const id = crypto.randomUUID();
    const key = `${prefix}/${id.slice(0, 2)}/${id}.${ext}`;
    const p = this.pathOf(key);
    await fs.mkdir(path.dirname(p), { recursive: true });
    // Write then rename: a crash never leaves a half file under a live key.
    const tmp = `${p}.tmp-${process.pid}`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, p);
    return key;
  }

  get(key: string) {
    return fs.readFile(this.pathOf(key));
  }

  async delete(key: string) {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async exists(key: string) {
    return fs.access(this.pathOf(key)).then(() => true, () => false);
  }
}
