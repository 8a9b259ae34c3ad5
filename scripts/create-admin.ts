// `npm run create-admin`: the first administrator of a new installation (or, with --reset, access back to one).
// Flags or environment: --login / ADMIN_LOGIN, --name / ADMIN_NAME, --password / ADMIN_PASSWORD, --email / ADMIN_EMAIL;
// what is missing is asked for when a terminal is attached. Uses the server's settings (DATA_DIR or DATABASE_URL).
// On the embedded database the server must be stopped first (one process per data directory: src/server/lock.ts).
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/open.js';
import { AppError, ERROR_CODES } from '../src/server/lib/errors.js';
import { acquireDataDirLock } from '../src/server/lock.js';
import { ZCreateUser } from '../src/server/modules/users/schema.js';
import { createUser, restoreAdminAccess } from '../src/server/modules/users/service.js';

const { values } = parseArgs({
  options: {
    login: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    email: { type: 'string' },
    reset: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`npm run create-admin -- [--login admin] [--name "Họ tên"] [--password …] [--email …] [--reset]
  Tạo tài khoản quản trị (create an administrator). --reset: đặt lại mật khẩu, bật lại và gỡ xác thực hai bước của
  một quản trị viên có sẵn (reset password, re-activate and remove TOTP of an existing administrator).
  Biến môi trường (environment): ADMIN_LOGIN, ADMIN_NAME, ADMIN_PASSWORD, ADMIN_EMAIL.`);
  process.exit(0);
}

async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY) throw new Error(`Thiếu ${question} (missing; pass it as a flag or environment variable)`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing of what is typed (the prompt itself is written before muting).
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    process.stdout.write(`${question}: `);
  }
  const answer = await new Promise<string>((resolve) => rl.question(hidden ? '' : `${question}: `, resolve));
  rl.close();
  if (hidden) process.stdout.write('\n');
  return answer.trim();
}

function explain(err: unknown): string {
  if (err instanceof AppError) {
    const lines = [ERROR_CODES[err.code].vi, err.detail, ...(err.errors ?? []).filter((e) => e.message !== err.detail).map((e) => `${e.path}: ${e.message}`)];
    return [...new Set(lines.filter(Boolean))].join('\n  ');
  }
  return err instanceof Error ? err.message : String(err);
}

async function main() {
  const config = loadConfig();
  const login = values.login ?? process.env.ADMIN_LOGIN ?? (await ask('Tên đăng nhập (login)'));
  const fullName = values.reset ? '' : (values.name ?? process.env.ADMIN_NAME ?? (await ask('Họ tên (full name)')));
  let password = values.password ?? process.env.ADMIN_PASSWORD;
  if (!password) {
    password = await ask('Mật khẩu (password, ≥ 10 ký tự, khó đoán)', true);
    if ((await ask('Nhập lại mật khẩu (again)', true)) !== password) throw new Error('Hai lần nhập mật khẩu không khớp (passwords differ)');
  }
  const email = values.email ?? process.env.ADMIN_EMAIL ?? null;

  // The embedded database allows one process: refuse clearly while the server runs on this data directory.
  const release = config.databaseUrl ? () => undefined : acquireDataDirLock(config.dataDir);
  const dbh = await openDatabase(config);
  try {
    if (values.reset) {
      await restoreAdminAccess(dbh.db, login, password);
      console.log(`Đã đặt lại quyền truy cập cho quản trị viên "${login}" (administrator access restored).`);
      return;
    }
    const parsed = ZCreateUser.safeParse({ login, fullName, password, email, phone: null, role: 'admin', producerId: null, unitIds: [], locale: 'vi' });
    if (!parsed.success) throw new AppError('VALIDATION', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    const u = await createUser(dbh.db, { system: 'create-admin' }, parsed.data);
    console.log(`Đã tạo quản trị viên "${u.login}" (administrator created).` +
      (config.realDeployment ? ' Ở lần đăng nhập đầu, hãy bật xác thực hai bước (two-step verification is required at first sign-in).' : ''));
  } finally {
    await dbh.close();
    release();
  }
}

main().catch((err) => {
  console.error(`Không thực hiện được (failed): ${explain(err)}`);
  process.exit(1);
});
