import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { forbidden } from '../../lib/errors.js';
import { todayInVietnam } from '../../../shared/certificate-dates.js';
import { hasLevelAuthority, isInForce, LEVEL_NAMES_VI, periodVi } from '../recognition/authority.js';
import { listProcedureVersions } from '../recognition/service.js';
import { canManageRounds } from './policy.js';
import { ROUND_LEVELS } from './schema.js';

export const ZRoundOptions = z.object({
  today: z.string(),
  procedures: z.array(z.object({
    code: z.string(),
    name: z.string(),
    period: z.string(),
    inForceToday: z.boolean(),
    levels: z.array(z.object({
      level: z.enum(ROUND_LEVELS),
      name: z.string(),
      recognisesStars: z.array(z.number().int()),
      unitTypes: z.array(z.string()),
      /** Whether I may organise a round at this level (the server decides; the form shows the reason otherwise). */
      allowed: z.boolean(),
      reason: z.string().nullable(),
    })),
  })),
});

/** The round form's choices, from the procedure data and my authority: nothing in the web re-implements the rules. */
export async function roundOptions(db: Db, actor: Actor): Promise<z.infer<typeof ZRoundOptions>> {
  if (!canManageRounds(actor)) throw forbidden();
  const today = todayInVietnam();
  const versions = await listProcedureVersions(db);
  return {
    today,
    procedures: versions.map((v) => ({
      code: v.code, name: v.name, period: periodVi(v), inForceToday: isInForce(v, today),
      levels: v.doc.levels.map((l) => {
        let reason: string | null = null;
        if (l.preAssessment) reason = `${l.name} chỉ tiếp nhận hồ sơ và tiền đánh giá, không tổ chức hội đồng chấm điểm`;
        // Province officers assigned to a province are checked against the chosen unit when the round is created.
        else if (!hasLevelAuthority(actor, l.level, null) && !(actor.role === 'province_officer' && l.level !== 'central')) {
          reason = l.level === 'central' ? 'Chỉ cán bộ cấp Trung ương (Bộ Nông nghiệp và Môi trường) tổ chức đợt đánh giá cấp Trung ương' : `Bạn không có thẩm quyền tổ chức đợt đánh giá ${LEVEL_NAMES_VI[l.level]}`;
        }
        return { level: l.level, name: l.name, recognisesStars: l.recognisesStars, unitTypes: l.unitTypes ?? [], allowed: reason === null, reason };
      }),
    })),
  };
}
