import dayjs from 'dayjs';

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

export const todayIso = () => dayjs().format('YYYY-MM-DD');

export const DATE_FORMAT = 'DD/MM/YYYY';

/** Date pickers hold dayjs values; the API speaks yyyy-mm-dd. */
export const toIsoDate = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
export const fromIsoDate = (s: string | null | undefined) => (s ? dayjs(s) : null);
