/**
 * The recognition chain across modules (#10): round results → dossier outcome → certificate → dossier recognised.
 * Evaluation, dossiers and certificates do not call each other for this; this module does, each step inside one
 * transaction, so there is no import cycle between them and no step can land without the next.
 */
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../lib/actor.js';
import { announceChange } from '../../lib/changes.js';
import { fromDbError } from '../../lib/errors.js';
import * as certificates from '../certificates/service.js';
import type { IssueCertificate } from '../certificates/schema.js';
import * as dossiers from '../dossiers/service.js';
import * as evaluation from '../evaluation/service.js';

/** The chair finalises: results are stored and every dossier assigned to the round takes its outcome. */
export async function finaliseRound(db: Db, actor: Actor, roundId: string, discussionNotes: Record<string, string>) {
  await db.transaction(async (tx) => {
    const computed = await evaluation.finaliseTx(tx, actor, roundId, discussionNotes);
    await dossiers.applyRoundResults(tx, actor, roundId, computed);
  });
  return evaluation.getRound(db, actor, roundId);
}

/** The decision: the certificate is issued and the dossier evaluated in that round becomes recognised. */
export async function issueCertificate(db: Db, config: Config, actor: Actor, input: IssueCertificate) {
  try {
    const id = await db.transaction(async (tx) => {
      const dossier = await dossiers.dossierOfRoundProduct(tx, input.roundId, input.productId);
      const cert = await certificates.issueCertificateTx(tx, actor, input, {
        dossierId: dossier?.id ?? null,
        issuingUnitAt: async (level) => (await dossiers.issuingRoundOf(tx, input.productId, input.roundId, level))?.unitId ?? null,
      });
      await dossiers.markDossierRecognised(tx, actor, { roundId: input.roundId, productId: input.productId, certificateId: cert.id, certificateNumber: cert.number });
      return cert.id;
    });
    announceChange({ products: [input.productId] }); // the scan pages' cache (a new active certificate supersedes the old)
    return certificates.getCertificate(db, config, actor, id);
  } catch (err) {
    throw fromDbError(err) ?? err;
  }
}
