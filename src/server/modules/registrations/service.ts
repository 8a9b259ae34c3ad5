import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { AppError, forbidden, fromDbError, notFound } from '../../lib/errors.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { assertCan } from '../../plugins/auth.js';
import { recordAudit } from '../audit/service.js';
import { findUnitById } from '../geo/repository.js';
import { communeOfficerIdsCovering } from '../notifications/recipients.js';
import { notify } from '../notifications/service.js';
import { findProducerByRegistration } from '../producers/repository.js';
import { createProducer } from '../producers/service.js';
import { insertUser } from '../users/repository.js';
import { auditableUser } from '../users/presenter.js';
import { verify } from '@node-rs/argon2';
import { hashPassword } from '../users/service.js';
import { assertStrongPassword } from '../users/password-policy.js';
import type { Config } from '../../config.js';
import { canDecideRegistration, canLinkRegistrationToProducer, canListRegistrations } from './policy.js';
import { auditableRegistration, presentRegistration } from './presenter.js';
import * as repo from './repository.js';
import { referenceOf } from './reference.js';
import type { RegistrationInput, RegistrationListQuery } from './schema.js';

/** The public form writes as the system: nobody is signed in. */
const PUBLIC_FORM = { system: 'public-registration' };

/** Communes (xã, phường, thị trấn) valid today, for the public form, by name. */
export async function listRegistrationUnits(db: Db) {
  const units = await repo.findCurrentCommunes(db, todayInVietnam());
  return units.sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.id - b.id);
}

/** Requests go to a commune-level unit that exists today (not one merged away). */
async function assertCurrentCommune(db: Db, unitId: number) {
  const u = await findUnitById(db, unitId);
  const today = todayInVietnam();
  if (!u || u.level !== 3 || (u.validFrom && u.validFrom > today) || (u.validTo && u.validTo < today)) {
    throw new AppError('UNIT_NOT_VALID', { errors: [{ path: 'unitId', message: 'Chọn một xã, phường hoặc thị trấn hiện hành' }] });
  }
  return u;
}


type Mail = { to: string; subject: string; text: string };
type MailConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicBaseUrl'>;

/** After commit, through SMTP when configured; a failed send is logged, never shown to the anonymous applicant. */
async function sendMail(config: MailConfig | undefined, mail: Mail | null) {
  if (!mail || !config?.smtpUrl) return;
  try {
    const nodemailer = (await import('nodemailer')).default;
    await nodemailer.createTransport(config.smtpUrl).sendMail({ from: config.mailFrom, ...mail });
  } catch (err) {
    console.warn('registration e-mail failed', err instanceof Error ? err.message : err);
  }
}

/**
 * Anonymous: records a pending request (the password is hashed at once) and tells the commune's officers. The answer
 * is the same whether or not the login is free, so the form cannot be used to find out which logins exist: a request
 * for a taken login is recorded with `login_taken` (officers see the note and cannot approve it under that login) and
 * the applicant learns it through the e-mail address they gave (when SMTP is configured) or from the commune officer.
 */
export async function createRegistration(db: Db, input: RegistrationInput, config?: MailConfig) {
  assertStrongPassword(input.password, { login: input.login, fullName: input.representative });
  await assertCurrentCommune(db, input.unitId);
  const passwordHash = await hashPassword(input.password);
  const insert = (loginTaken: boolean) =>
    db.transaction(async (tx) => {
      const row = await repo.insertRegistration(tx, {
        kind: input.kind,
        legalName: input.legalName,
        registrationNumber: input.registrationNumber,
        unitId: input.unitId,
        address: input.address,
        representative: input.representative,
        phone: input.phone,
        email: input.email,
        login: input.login,
        passwordHash,
        note: input.note,
        loginTaken,
      });
      await recordAudit(tx, PUBLIC_FORM, 'create', 'registration_request', row.id, null, auditableRegistration(row));
      const officers = await communeOfficerIdsCovering(tx, row.unitId);
      await notify(tx, officers, {
        kind: 'registration_submitted',
        title: 'Yêu cầu đăng ký tài khoản chủ thể mới',
        body: `${row.legalName} (${row.registrationNumber}) đề nghị cấp tài khoản "${row.login}".` +
          (loginTaken ? ' Lưu ý: tên đăng nhập này đã có người dùng; hãy liên hệ người đăng ký để chọn tên khác.' : ''),
        link: '/registrations',
        entityType: 'registration_request',
        entityId: row.id,
      });
      return row;
    });
  let row;
  try {
    const taken = await repo.isLoginTaken(db, input.login);
    try {
      row = await insert(taken);
    } catch (err) {
      // Two requests for the same new login at once: the unique index decides; the later one is the duplicate.
      if (fromDbError(err)?.code !== 'DUPLICATE_LOGIN' || taken) throw err;
      row = await insert(true);
    }
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
  const reference = referenceOf(row.id);
  await sendMail(config, row.email ? {
    to: row.email,
    subject: `OCOP Hub: đã nhận yêu cầu đăng ký ${reference}`,
    text: row.loginTaken
      ? `Yêu cầu đăng ký tài khoản cho ${row.legalName} (số tham chiếu ${reference}) đã được ghi nhận, nhưng tên đăng nhập "${row.login}" đã có người dùng.\n` +
        `Cán bộ phụ trách sẽ liên hệ với bạn; bạn cũng có thể gửi yêu cầu mới với tên đăng nhập khác.`
      : `Yêu cầu đăng ký tài khoản cho ${row.legalName} (số tham chiếu ${reference}) đã được ghi nhận và đang chờ cán bộ xã duyệt.`,
  } : null);
  return { id: row.id, reference, status: 'pending' as const };
}

export async function listRegistrations(db: Db, actor: Actor, q: RegistrationListQuery) {
  assertCan(actor, canListRegistrations);
  const only = actor.role === 'commune_officer' ? [...actor.scopeUnitIds] : undefined;
  return (await repo.findRegistrations(db, q, only)).map(presentRegistration);
}

async function getRegistration(db: Db, id: string) {
  const j = await repo.findRegistrationJoined(db, id);
  if (!j) throw notFound('Không tìm thấy yêu cầu đăng ký');
  return presentRegistration(j);
}

/** The request, locked, after the decision checks shared by approve and reject. */
async function lockForDecision(tx: Db, actor: Actor, id: string) {
  const r = await repo.lockRegistration(tx, id);
  if (!r) throw notFound('Không tìm thấy yêu cầu đăng ký');
  if (!canDecideRegistration(actor, r)) throw new AppError('FORBIDDEN', { extra: { policy: canDecideRegistration.name } });
  if (r.status !== 'pending') throw new AppError('REGISTRATION_STATE');
  return r;
}

/**
 * One transaction: the producer (linked when its registration number is already in the registry, created otherwise),
 * an active producer account with the login and password hash of the request, the decision, audit entries.
 */
export async function approveRegistration(db: Db, actor: Actor, id: string) {
  try {
    await db.transaction(async (tx) => {
      const r = await lockForDecision(tx, actor, id);
      if (await repo.isLoginUsedByAccount(tx, r.login)) {
        throw new AppError('DUPLICATE_LOGIN', { detail: `Tên đăng nhập "${r.login}" đã có người dùng: hãy từ chối yêu cầu này và đề nghị chủ thể đăng ký lại với tên khác` });
      }
      const existing = await findProducerByRegistration(tx, r.registrationNumber);
      let producerId: string;
      if (existing) {
        if (!canLinkRegistrationToProducer(actor, existing)) {
          throw forbidden('Chủ thể có mã số này thuộc đơn vị ngoài phạm vi phụ trách; cán bộ cấp tỉnh mới duyệt được yêu cầu này');
        }
        producerId = existing.id;
      } else {
        const p = await createProducer(tx, actor, {
          kind: r.kind as 'enterprise' | 'cooperative' | 'cooperative_group' | 'household',
          legalName: r.legalName,
          shortName: null,
          registrationNumber: r.registrationNumber,
          unitId: r.unitId,
          address: r.address,
          representative: r.representative,
          representativeTitle: null,
          phone: r.phone,
          email: r.email,
          website: null,
          foundedYear: null,
          memberCount: null,
          workerCount: null,
          craftVillage: null,
          notes: null,
          isDemo: false,
          sources: [],
        });
        producerId = p.id;
      }
      const user = await insertUser(tx, {
        login: r.login,
        fullName: r.representative,
        email: r.email,
        phone: r.phone,
        passwordHash: r.passwordHash,
        role: 'producer',
        producerId,
        locale: 'vi',
      });
      await recordAudit(tx, actor, 'create', 'user', user.id, null, auditableUser(user, []));
      const after = await repo.decideRegistration(tx, id, { status: 'approved', decidedBy: actor.id, decidedAt: new Date(), producerId, userId: user.id });
      if (!after) throw new AppError('REGISTRATION_STATE');
      await recordAudit(tx, actor, 'approve', 'registration_request', id, auditableRegistration(r), { ...auditableRegistration(after), linkedExistingProducer: Boolean(existing) });
      await notify(tx, [user.id], {
        kind: 'registration_approved',
        title: 'Tài khoản chủ thể OCOP đã được duyệt',
        body: `Chào mừng ${r.representative}. Bạn có thể đăng nhập bằng tên "${r.login}" và mật khẩu đã đăng ký.`,
        link: `/producers/${producerId}`,
        entityType: 'producer',
        entityId: producerId,
      });
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
  return getRegistration(db, id);
}

export async function rejectRegistration(db: Db, actor: Actor, id: string, reason: string) {
  try {
    await db.transaction(async (tx) => {
      const r = await lockForDecision(tx, actor, id);
      const after = await repo.decideRegistration(tx, id, { status: 'rejected', decidedBy: actor.id, decidedAt: new Date(), decisionNote: reason });
      if (!after) throw new AppError('REGISTRATION_STATE');
      await recordAudit(tx, actor, 'reject', 'registration_request', id, auditableRegistration(r), auditableRegistration(after));
    });
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
  return getRegistration(db, id);
}

/**
 * Whether `login` + `password` are those of an account request still waiting for the commune officer: the sign-in
 * screen then says so instead of "wrong password" (only with the right password, so it reveals nothing to others).
 */
export async function isPendingRequest(db: Db, login: string, password: string): Promise<boolean> {
  const rows = await repo.findPendingPasswordHashes(db, login);
  for (const r of rows) if (await verify(r.passwordHash, password).catch(() => false)) return true;
  return false;
}
