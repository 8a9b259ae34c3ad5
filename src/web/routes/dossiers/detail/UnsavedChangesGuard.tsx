import { Modal } from 'antd';
import { useEffect } from 'react';
import { useBlocker } from 'react-router-dom';
import { useI18n } from '../../../i18n';

/**
 * While `dirty`, leaving asks first: in-app navigation through react-router's blocker (a confirmation dialog),
 * reloading or closing the tab through the browser's own beforeunload prompt.
 */
export function UnsavedChangesGuard({ dirty }: { dirty: boolean }) {
  const { t } = useI18n();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older Chromium needs it set
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  return (
    <Modal
      open={blocker.state === 'blocked'}
      title={t('dossier.unsaved.title')}
      okText={t('dossier.unsaved.leave')}
      cancelText={t('dossier.unsaved.stay')}
      okButtonProps={{ danger: true, 'data-testid': 'unsaved-leave' } as never}
      cancelButtonProps={{ 'data-testid': 'unsaved-stay' } as never}
      onOk={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      <span data-testid="unsaved-guard">{t('dossier.unsaved.body')}</span>
    </Modal>
  );
}
