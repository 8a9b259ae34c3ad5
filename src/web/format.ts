import dayjs from 'dayjs';
import { todayInVietnam } from '../shared/certificate-dates';

/** dd/mm/yyyy for a date (yyyy-mm-dd) or an instant; '—' for nothing. */
export function fmtDate(v: string | null | undefined): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('DD/MM/YYYY') : v;
}

export function fmtDateTime(v: string | null | undefined): string {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('DD/MM/YYYY HH:mm') : v;
}

/** The one "today" (the date in Vietnam, whatever the browser's time zone), as the server computes it. */
export const todayIso = (): string => todayInVietnam();
/** Today in Vietnam as a date-picker value. */
export const todayDay = (): dayjs.Dayjs => dayjs(todayInVietnam());
/** This year in Vietnam. */
export const thisYear = (): number => Number(todayInVietnam().slice(0, 4));

export const DATE_FORMAT = 'DD/MM/YYYY';

/** Date pickers hold dayjs values; the API speaks yyyy-mm-dd. */
export const toIsoDate = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
export const fromIsoDate = (s: string | null | undefined) => (s ? dayjs(s) : null);
