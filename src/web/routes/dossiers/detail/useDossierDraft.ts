import { Form } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../../../api';
import { DOSSIER_FORM_KEYS, type Dossier, type DossierForm, type DossierUpdateInput } from '../../../contract';
import { fromIsoDate, toIsoDate } from '../../../format';

export interface FormValues {
  targetStar?: number | null;
  form: DossierForm;
  sample: { quantity?: number | null; unit?: string | null; description?: string | null; deliveredOn?: Dayjs | null };
}

const toValues = (d: Dossier): FormValues => ({
  targetStar: d.targetStar,
  form: Object.fromEntries(DOSSIER_FORM_KEYS.map((k) => [k, d.form?.[k] ?? null])) as DossierForm,
  sample: { ...(d.sample ?? {}), deliveredOn: fromIsoDate(d.sample?.deliveredOn) },
});

const blank = (s: unknown) => (typeof s === 'string' ? (s.trim() ? s.trim() : null) : (s ?? null));

/**
 * The dossier's editable part (registration form, target star, product sample) as one antd form with one save to
 * PUT /api/dossiers/:id. `dirty` is true from the first edit until the server has the values.
 */
export function useDossierDraft(id: string, d: Dossier | undefined) {
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [dirty, setDirty] = useState(false);
  const [loadedVersion, setLoadedVersion] = useState<string | null>(null);

  // Load the fields when the dossier arrives or changes on the server, unless the user is typing.
  useEffect(() => {
    if (!d) return;
    const key = `${d.id}:${d.version}`;
    if (key !== loadedVersion && !dirty) {
      form.setFieldsValue(toValues(d));
      setLoadedVersion(key);
    }
  }, [d, dirty, loadedVersion, form]);

  const save = useMutation({
    mutationFn: async () => {
      const cur = qc.getQueryData<Dossier>(['dossiers', id]) ?? d!;
      await form.validateFields();
      const vals = form.getFieldsValue(true) as FormValues;
      // The server's form schema is strict: send exactly its keys.
      const f: Record<string, unknown> = {};
      for (const k of DOSSIER_FORM_KEYS) {
        const x = vals.form?.[k];
        f[k] = typeof x === 'string' ? blank(x) : (x ?? null);
      }
      const s = vals.sample ?? {};
      const anySample = s.quantity != null || !!blank(s.unit) || !!blank(s.description) || !!s.deliveredOn;
      // A sample without a quantity goes as 0: the server answers "Số lượng mẫu phải lớn hơn 0" on that field.
      const sample: DossierUpdateInput['sample'] =
        cur.sampleRequired && anySample ? { quantity: s.quantity ?? 0, unit: (blank(s.unit) as string | null) ?? '', description: blank(s.description) as string | null, deliveredOn: toIsoDate(s.deliveredOn) } : null;
      return api<Dossier>(`/api/dossiers/${id}`, { method: 'PUT', body: { version: cur.version, form: f as DossierForm, sample, targetStar: vals.targetStar ?? null } satisfies DossierUpdateInput });
    },
    onSuccess: (saved) => {
      setDirty(false);
      if (saved && typeof saved === 'object' && 'allowedActions' in saved) {
        qc.setQueryData(['dossiers', id], saved);
        setLoadedVersion(`${saved.id}:${saved.version}`);
      }
      qc.invalidateQueries({ queryKey: ['dossiers'] });
    },
  });

  return { form, dirty, markDirty: () => setDirty(true), save };
}
export type DossierDraft = ReturnType<typeof useDossierDraft>;
