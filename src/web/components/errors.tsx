import { App, type FormInstance } from 'antd';
import { ApiError, fieldPath } from '../api';
import { useI18n } from '../i18n';

/**
 * Shows an API failure the way users need it: the server's `title`/`detail` (Vietnamese or English, as the
 * server chose) in a notification and, when a form is given, each `errors[].path` under its field.
 * Errors are also listed in the notification, since a path may point at a field the form does not render.
 */
export function useShowError() {
  const { notification } = App.useApp();
  const { t } = useI18n();
  return (err: unknown, form?: FormInstance) => {
    if (err instanceof ApiError) {
      const p = err.problem;
      const fieldErrors = p.errors ?? [];
      if (form && fieldErrors.length) {
        const fields = fieldErrors.map((e) => ({ name: fieldPath(e.path), errors: [e.message] }));
        form.setFields(fields as never);
        try {
          form.scrollToField(fields[0].name as never);
        } catch {
          /* field not rendered */
        }
      }
      notification.error({
        key: 'api-error',
        title: p.title,
        description: (
          <div data-testid="error-detail">
            {p.detail && p.detail !== p.title ? <div>{p.detail}</div> : null}
            {fieldErrors.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {fieldErrors.slice(0, 8).map((e, i) => (
                  <li key={i}>{e.message}</li>
                ))}
              </ul>
            )}
          </div>
        ),
      });
      return;
    }
    notification.error({ key: 'api-error', title: t('error.unexpected'), description: String((err as Error)?.message ?? err) });
  };
}
