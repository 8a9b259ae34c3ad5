import { sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import { rowsOf, type Db } from '../db/client.js';
import { markEmailed } from '../modules/notifications/repository.js';

/**
 * E-mails the given in-app notifications to their users (those with an address), after the transaction that created
 * them committed. Without SMTP configured (and no transport given) nothing is sent: in-app notifications suffice.
 * A failed send leaves emailed_at empty and does not stop the others. Returns how many were sent.
 */
export async function emailNotifications(
  db: Db,
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicBaseUrl'>,
  ids: string[],
  transport?: Transporter,
  log: (msg: string, err?: unknown) => void = (msg, err) => console.warn(msg, err instanceof Error ? err.message : (err ?? '')),
): Promise<number> {
  if (!ids.length || (!transport && !config.smtpUrl)) return 0;
  const t = transport ?? (await import('nodemailer')).default.createTransport(config.smtpUrl);
  const rows = rowsOf<{ id: string; title: string; body: string; link: string | null; email: string }>(await db.execute(sql`
    select n.id, n.title, n.body, n.link, u.email from notifications n join users u on u.id = n.user_id
    where n.id in ${ids} and n.emailed_at is null and u.email is not null and u.is_active`));
  let sent = 0;
  for (const n of rows) {
    try {
      const link = n.link ? `${config.publicBaseUrl}${n.link}` : null;
      await t.sendMail({ from: config.mailFrom, to: n.email, subject: n.title, text: [n.body, link].filter(Boolean).join('\n\n') });
      await markEmailed(db, n.id);
      sent++;
    } catch (err) {
      log(`e-mail to ${n.email} failed`, err);
    }
  }
  return sent;
}
