import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no lock of its own: a second process on the same data directory silently loses writes.
 * We take an exclusive lockfile; a stale one (its process is gone) is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'ocop-hub.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      fs.closeSync(fd);
      const release = () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
          if (held.pid === process.pid) fs.rmSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = 0;
      try {
        pid = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid;
      } catch {
        /* unreadable lock: treat as stale */
      }
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `Thư mục dữ liệu ${dataDir} đang được một máy chủ OCOP Hub khác dùng (PID ${pid}). ` +
            `Hãy dừng tiến trình đó hoặc đặt DATA_DIR khác. / The data directory is in use by another OCOP Hub server (PID ${pid}).`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
