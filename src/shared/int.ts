import { z } from 'zod';

/** PostgreSQL `integer` (int4): ids of reference tables, serials, versions, counts. */
export const INT4_MAX = 2_147_483_647;

/**
 * An integer from a query string or path (text coerced to a number), bounded so it fits the int4 column it is
 * compared with: `?unitId=99999999999` is a 400 problem+json, not a PostgreSQL "out of range" error (22003 → 500).
 */
export const zIntParam = (min = 1, max = INT4_MAX) =>
  z.coerce.number({ error: 'Phải là một số' }).int('Phải là số nguyên').min(min, `Phải từ ${min} trở lên`).max(max, `Số quá lớn (tối đa ${max.toLocaleString('vi-VN')})`);

/** The same bounds for an integer id sent in a JSON body. */
export const zIntId = () => z.number().int('Phải là số nguyên').min(1, 'Mã không hợp lệ').max(INT4_MAX, 'Mã không hợp lệ');
